#include "support/firmware_images.h"

#include "support/esp_image_builder.h"

namespace apiota::testing {

std::vector<std::uint8_t> firmware_image(const std::string& version, std::size_t payload_bytes, std::uint32_t seed) {
  EspImageSpec spec;
  spec.version = version;
  spec.payload_bytes = payload_bytes;
  spec.seed = seed;
  return build_esp_app_image(spec);
}

std::string as_string(const std::vector<std::uint8_t>& bytes) { return {bytes.begin(), bytes.end()}; }

}  // namespace apiota::testing
