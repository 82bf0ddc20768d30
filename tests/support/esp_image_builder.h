// Test-only builders for ESP32-family firmware files: valid application
// images laid out byte by byte as shared/spec/esp32-image.md §1 describes, the
// trailers signing tools append, and the look-alike files an uploader might
// send by mistake (bootloader, merged flash image, delta patch, pre-encrypted
// image). Unit tests and black-box upload tests use them.
//
// The builders are written from the spec, independently of the server's
// parser (domain/esp_image.*), so a test that feeds one to the other checks
// both against the document rather than against each other. Output is fully
// determined by the arguments (pseudo-random filler comes from a fixed or
// spec-given seed). Images of tens of MiB build in well under a second.
//
// build_esp_app_image throws std::invalid_argument when segment_count is not
// in 1..16. It produces a valid image as long as every segment stays below
// 16 MiB (payload_bytes / segment_count < 16 MiB). Text fields are copied
// into their fixed-size slots, NUL-padded; a string as long as its slot or
// longer is cut to the slot size and has no NUL, as a buggy tool might write.
// All functions are thread-safe and return buffers the caller owns.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace apiota::testing {

struct EspImageSpec {
  std::uint16_t chip_id = 0;
  std::string version = "1.0.0";
  std::string project_name = "app";
  std::uint32_t secure_version = 0;
  std::string idf_version = "v5.2.1";
  std::size_t payload_bytes = 4096;  // total segment data, rounded up to whole words
  int segment_count = 3;
  bool hash_appended = true;
  std::uint32_t seed = 1;  // drives the pseudo-random segment data
  std::string compile_time = "12:34:56";
  std::string compile_date = "Jan  8 2026";
  std::array<std::uint8_t, 32> elf_sha256 = {};
  std::uint16_t min_chip_rev_full = 0;
  std::uint16_t max_chip_rev_full = 399;
  std::uint32_t entry_addr = 0x40081000;
  std::uint8_t spi_mode = 2;           // DIO
  std::uint8_t spi_speed = 0;          // DIV_2 (40 MHz)
  std::uint8_t spi_size = 2;           // 4 MB
  std::uint8_t mmu_page_size_log2 = 16;
  std::uint8_t app_spi_flash_mode = 3;  // DIO, esp_app_desc_t numbering
};

// Where build_esp_app_image(spec) put things, for tests that corrupt a field.
struct EspImageLayout {
  std::vector<std::size_t> segment_header_offsets;  // each {u32 load_addr; u32 data_len}
  std::vector<std::size_t> segment_lengths;
  std::size_t checksum_offset = 0;  // the XOR checksum byte
  std::size_t image_len = 0;        // through the checksum block plus the digest, if any
};

EspImageLayout esp_app_image_layout(const EspImageSpec& spec);
std::vector<std::uint8_t> build_esp_app_image(const EspImageSpec& spec);

// Appends esp_secure_boot_sig_block_t {u32 version = 0; u8 signature[64]}
// (the signature bytes are filler; no key is involved).
std::vector<std::uint8_t> append_signed_app_v1_block(std::vector<std::uint8_t> image);

// Pads `image` with 0xFF to a 4096-byte boundary and appends a 4096-byte
// Secure Boot V2 sector holding one signature block (RSA-3072 layout, version
// 0x02, or ECDSA-P256, version 0x03) with a correct digest of the padded image
// and a correct CRC-32; the key material and signature are filler. The rest
// of the sector is 0xFF.
std::vector<std::uint8_t> append_secure_boot_v2_sector(std::vector<std::uint8_t> image, bool ecdsa);

// A second-stage bootloader image: 0xE9 header, esp_bootloader_desc_t
// (magic byte 0x50) at offset 32, valid checksum and appended digest.
std::vector<std::uint8_t> build_bootloader_image(std::uint16_t chip_id);

// An esptool merge_bin-style flash image: the bootloader at the chip's
// bootloader offset (0x1000 for ESP32/S2, 0x2000 for P4/C5, otherwise 0), a
// partition table at 0x8000 and an app image at 0x10000, gaps filled with 0xFF.
std::vector<std::uint8_t> build_merged_image(std::uint16_t chip_id);

// An esp_delta_ota patch: 64-byte header (magic 0xfccdde10, base digest,
// zeros) followed by a detools-like sequential heatshrink stream.
std::vector<std::uint8_t> build_delta_patch();

// An esp_encrypted_img file: 512-byte header starting with magic 0x0788b6cf,
// followed by ciphertext-like filler.
std::vector<std::uint8_t> build_encrypted_image();

}  // namespace apiota::testing
