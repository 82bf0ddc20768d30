// Validation and metadata extraction for ESP32-family application images (the
// .bin written into an ota_N partition), following the rules in
// shared/spec/esp32-image.md §1 "How the server should validate an upload".
//
// inspect_esp_app_image(src) returns an EspImageCheck. On success `info` holds
// the parsed header, the esp_app_desc_t fields and the trailer kind; on
// failure `info` is empty, `rejection` names the first rule the file broke and
// `message` is a one-line, human-readable explanation suitable for an
// INVALID_FIRMWARE response body. A source that fails to read yields
// ImageRejection::ReadError.
//
// What is checked, in order:
//   1. Look-alikes, so the caller gets a precise message: an esp_delta_ota
//      patch (u32 0xfccdde10 at 0), a pre-encrypted esp_encrypted_img image
//      (u32 0x0788b6cf at 0), a merged/factory flash image, and a bare
//      bootloader. A file is called merged when it starts with 0xE9 without an
//      app descriptor, or does not start with 0xE9 at all, and any of these
//      holds: an app image (0xE9 plus app-descriptor magic at +32) at 0x10000;
//      a partition table (0xAA 0x50) at 0x8000; a bootloader (0xE9 plus
//      bootloader-descriptor magic 0x50 at +32) at 0x1000 or 0x2000. A file
//      with 0xE9 and byte 0x50 at offset 32 and none of those is a bootloader.
//   2. Length >= 288 (header, first segment header, app descriptor), magic
//      0xE9, 1..16 segments. Unknown chip ids are accepted as EspChip::Unknown;
//      matching the chip to a fleet is the caller's job.
//   3. Every segment: header and data inside the file (overflow-safe),
//      data_len % 4 == 0, data_len < 16 MiB, segment 0 at least 256 bytes.
//   4. The XOR checksum byte (0xEF seed, segment data only) at the end of the
//      16-byte-aligned block; when hash_appended is non-zero (the bootloader
//      treats any non-zero value as set), the SHA-256 of every byte before the
//      digest must equal the 32 appended bytes.
//   5. App-descriptor magic 0xABCD5432 at file offset 32.
//   6. The trailer after image_len: empty (unsigned), exactly 68 bytes with a
//      zero version word (signed app, Secure Boot V1 / ECDSA), or a Secure
//      Boot V2 sector at ALIGN_UP(image_len, 4096) ending the file, whose
//      first block is valid (byte 0xE7, IEEE CRC-32 of bytes 0..1195 stored
//      at 1196) and whose further blocks, if present, are valid and of the
//      same kind. Anything else is InvalidTrailer.
// Not checked: the image size against the target partition (the caller
// enforces it), signatures and SBv2 digests cryptographically (the device
// does), MMU page alignment of mapped segments, and chip revision ranges.
//
// The source is read in chunks of at most 64 KiB; memory use does not grow
// with the image size. All functions are pure and safe to call concurrently
// on different sources (and on one source, if its read() is thread-safe).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/byte_source.h"

namespace apiota::domain {

enum class EspChip {
  Esp32, Esp32S2, Esp32C3, Esp32S3, Esp32C2, Esp32C6, Esp32H2, Esp32P4,
  Esp32C61, Esp32C5, Esp32H21, Esp32H4, Esp32S31, Unknown
};

// Maps an esp_chip_id_t value to a chip; ids this code does not know
// (including 0xFFFF, "invalid") map to EspChip::Unknown.
EspChip esp_chip_from_id(std::uint16_t chip_id);

// Lowercase IDF target name: "esp32", "esp32s3", ..., or "unknown".
std::string_view chip_name(EspChip chip);

enum class SignatureKind { None, SignedAppV1, SecureBootV2Rsa, SecureBootV2Ecdsa };

// "none", "v1", "sbv2-rsa" or "sbv2-ecdsa".
std::string_view signature_kind_name(SignatureKind kind);

struct EspImageInfo {
  std::uint16_t chip_id = 0;
  EspChip chip = EspChip::Unknown;
  std::uint16_t min_chip_rev_full = 0;  // major * 100 + minor
  std::uint16_t max_chip_rev_full = 0;
  std::uint8_t segment_count = 0;
  std::uint32_t entry_addr = 0;
  std::uint8_t spi_mode = 0;   // header byte 2
  std::uint8_t spi_speed = 0;  // low nibble of header byte 3
  std::uint8_t spi_size = 0;   // high nibble of header byte 3
  // Bytes from the start of the file through the checksum block, plus the
  // appended digest when present; any signature trailer starts here.
  std::uint64_t image_len = 0;
  bool hash_appended = false;
  std::string appended_sha256_hex;  // lowercase; empty when no digest is appended
  // esp_app_desc_t text fields, cut at the first NUL; bytes outside printable
  // ASCII are replaced with '?' so the strings are always safe to store and show.
  std::string version;
  std::string project_name;
  std::string compile_time;
  std::string compile_date;
  std::string idf_version;
  std::uint32_t secure_version = 0;
  std::string elf_sha256_hex;  // lowercase, 64 characters
  std::uint8_t mmu_page_size_log2 = 0;  // 0 for images built before the field existed
  // esp_app_desc_t.spi_flash_mode (1 QIO, 2 QOUT, 3 DIO, 4 DOUT, 5 OPI; 0 for
  // old images). New IDF refuses an OTA image whose value differs from the
  // running app's.
  std::uint8_t app_spi_flash_mode = 0;
  SignatureKind signature = SignatureKind::None;
};

enum class ImageRejection {
  TooShort, BadMagic, BadSegmentCount, SegmentOutOfBounds, UnalignedSegment, SegmentTooLarge,
  ChecksumMismatch, AppendedHashMismatch, MissingAppDescriptor, Bootloader, MergedImage,
  EncryptedImage, DeltaPatch, InvalidTrailer, ReadError
};

// Stable snake_case name of a rejection ("too_short", "merged_image", ...),
// for logs and machine-readable error details.
std::string_view image_rejection_name(ImageRejection rejection);

struct EspImageCheck {
  std::optional<EspImageInfo> info;
  ImageRejection rejection{};  // meaningful only when !ok()
  std::string message;         // empty when ok()

  bool ok() const { return info.has_value(); }
};

EspImageCheck inspect_esp_app_image(const ByteSource& src);

}  // namespace apiota::domain
