// libFuzzer entry point for the ESP app-image validator. Any input must yield
// a verdict without crashing, reading out of bounds or hitting undefined
// behaviour; an accepted image must describe a length inside the input, and a
// rejection must carry a message.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "domain/byte_source.h"
#include "domain/esp_image.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const apiota::domain::MemoryByteSource src(std::span<const std::uint8_t>(data, size));
  const apiota::domain::EspImageCheck check = apiota::domain::inspect_esp_app_image(src);
  if (check.ok()) {
    if (!check.message.empty() || check.info->image_len > size) std::abort();
  } else if (check.message.empty()) {
    std::abort();
  }
  return 0;
}
