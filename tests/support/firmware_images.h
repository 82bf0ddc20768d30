#pragma once
// Test support: plain firmware images for tests that only need "some valid
// image of this version and size", and their bytes as a std::string (the form
// httplib bodies and raw responses come in).
//
// firmware_image() is build_esp_app_image() with only the version, payload size
// and seed set (see esp_image_builder.h for its limits and exceptions); the
// result is deterministic and owned by the caller. Neither function fails a test.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace apiota::testing {

std::vector<std::uint8_t> firmware_image(const std::string& version, std::size_t payload_bytes,
                                         std::uint32_t seed = 1);

std::string as_string(const std::vector<std::uint8_t>& bytes);

}  // namespace apiota::testing
