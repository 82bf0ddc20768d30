// make_esp_image OUT VERSION BYTES: writes a valid ESP32 application image
// (tests/support/esp_image_builder.h) of about BYTES bytes whose app
// descriptor carries VERSION. Used by the benchmark harness (bench/run.py)
// to upload realistic firmware.

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "support/esp_image_builder.h"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: make_esp_image OUT VERSION BYTES\n";
    return 2;
  }
  apiota::testing::EspImageSpec spec;
  spec.version = argv[2];
  spec.payload_bytes = std::strtoull(argv[3], nullptr, 10);
  const auto image = apiota::testing::build_esp_app_image(spec);
  std::ofstream out(argv[1], std::ios::binary);
  out.write(reinterpret_cast<const char*>(image.data()), static_cast<std::streamsize>(image.size()));
  return out ? 0 : 1;
}
