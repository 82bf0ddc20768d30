#include "domain/esp_image.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace apiota::domain {
namespace {

// Layout of esp_image_header_t, esp_image_segment_header_t and esp_app_desc_t
// (ESP-IDF esp_app_format.h / esp_app_desc.h); offsets are from file start.
constexpr std::uint64_t kHeaderSize = 24;
constexpr std::uint64_t kSegmentHeaderSize = 8;
constexpr std::uint64_t kAppDescOffset = kHeaderSize + kSegmentHeaderSize;
constexpr std::uint64_t kAppDescSize = 256;
constexpr std::uint64_t kMinImageSize = kAppDescOffset + kAppDescSize;
constexpr std::uint8_t kImageMagic = 0xE9;
constexpr unsigned kMaxSegments = 16;
constexpr std::uint32_t kMaxSegmentLen = 0x1000000;
constexpr std::uint8_t kChecksumSeed = 0xEF;
constexpr std::uint64_t kChecksumAlign = 16;
constexpr std::uint64_t kDigestSize = 32;

constexpr std::uint32_t kAppDescMagic = 0xABCD5432;
constexpr std::uint8_t kBootloaderDescMagic = 0x50;
constexpr std::uint32_t kDeltaPatchMagic = 0xfccdde10;
constexpr std::uint32_t kEncryptedImageMagic = 0x0788b6cf;
constexpr std::uint8_t kPartitionTableMagic[] = {0xAA, 0x50};

// Where esptool merge_bin / a factory image puts things.
constexpr std::uint64_t kMergedAppOffset = 0x10000;
constexpr std::uint64_t kMergedPartitionTableOffset = 0x8000;
constexpr std::uint64_t kMergedBootloaderOffsets[] = {0x1000, 0x2000};

constexpr std::uint64_t kSignedAppV1BlockSize = 68;
constexpr std::uint64_t kSbv2SectorSize = 4096;
constexpr std::uint64_t kSbv2BlockSize = 1216;
constexpr std::uint64_t kSbv2MaxBlocks = 3;
constexpr std::uint64_t kSbv2CrcOffset = 1196;
constexpr std::uint8_t kSbv2BlockMagic = 0xE7;
constexpr std::uint8_t kSbv2VersionRsa = 0x02;
constexpr std::uint8_t kSbv2VersionEcdsa = 0x03;

constexpr std::size_t kChunkSize = 64 * 1024;

struct Failure {
  ImageRejection rejection;
  std::string message;
};

using Outcome = std::optional<Failure>;

std::uint16_t le16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>(p[0] | (p[1] << 8));
}

std::uint32_t le32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}

// True when [offset, offset + len) lies inside a file of `size` bytes; written
// so that no intermediate sum can overflow.
bool fits(std::uint64_t size, std::uint64_t offset, std::uint64_t len) {
  return offset <= size && len <= size - offset;
}

std::string hex_bytes(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (std::uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0x0F]);
  }
  return out;
}

std::string hex_value(std::uint64_t value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string digits;
  do {
    digits.push_back(kDigits[value & 0x0F]);
    value >>= 4;
  } while (value != 0);
  return "0x" + std::string(digits.rbegin(), digits.rend());
}

std::string dec(std::uint64_t value) { return std::to_string(value); }

std::string text_field(std::span<const std::uint8_t> field) {
  std::string out;
  for (std::uint8_t b : field) {
    if (b == 0) break;
    out.push_back(b >= 0x20 && b < 0x7F ? static_cast<char>(b) : '?');
  }
  return out;
}

constexpr std::array<std::uint32_t, 256> make_crc32_table() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t n = 0; n < 256; ++n) {
    std::uint32_t c = n;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[n] = c;
  }
  return table;
}

constexpr auto kCrc32Table = make_crc32_table();

// The IEEE CRC-32 that zlib.crc32 computes; espsecure stores it in SBv2 blocks.
std::uint32_t crc32_ieee(std::span<const std::uint8_t> bytes) {
  std::uint32_t c = 0xFFFFFFFFu;
  for (std::uint8_t b : bytes) c = kCrc32Table[(c ^ b) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

Failure read_failure(std::uint64_t offset) {
  return {ImageRejection::ReadError, "could not read the uploaded file at offset " + dec(offset)};
}

struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

// Reads the image front to back in bounded chunks. When hashing is on, every
// byte read goes into SHA-256, so the segment walk, the checksum and the
// appended-hash check share one pass over the file.
class ImageStream {
 public:
  ImageStream(const ByteSource& src, bool hash) : src_(src) {
    if (!hash) return;
    ctx_.reset(EVP_MD_CTX_new());
    if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) != 1) ctx_failed_ = true;
  }

  std::uint64_t position() const { return pos_; }

  // Reads out.size() bytes at the current position and advances past them.
  Outcome read(std::span<std::uint8_t> out) {
    if (!src_.read(pos_, out)) return read_failure(pos_);
    if (auto failure = hash(out)) return failure;
    pos_ += out.size();
    return std::nullopt;
  }

  // Streams `len` bytes, folding each into the XOR checksum.
  Outcome consume_xor(std::uint64_t len, std::uint8_t& checksum) {
    if (buffer_.empty()) buffer_.resize(kChunkSize);
    while (len > 0) {
      const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(len, kChunkSize));
      const std::span<std::uint8_t> chunk(buffer_.data(), n);
      if (auto failure = read(chunk)) return failure;
      for (std::uint8_t b : chunk) checksum ^= b;
      len -= n;
    }
    return std::nullopt;
  }

  // SHA-256 of everything read so far; only valid when hashing is on.
  Outcome finish(std::array<std::uint8_t, kDigestSize>& digest) {
    unsigned int len = 0;
    if (ctx_failed_ || EVP_DigestFinal_ex(ctx_.get(), digest.data(), &len) != 1 ||
        len != kDigestSize) {
      return sha_failure();
    }
    return std::nullopt;
  }

 private:
  static Failure sha_failure() {
    return {ImageRejection::ReadError, "internal error: SHA-256 computation failed"};
  }

  Outcome hash(std::span<const std::uint8_t> bytes) {
    if (!ctx_) return std::nullopt;
    if (ctx_failed_ || EVP_DigestUpdate(ctx_.get(), bytes.data(), bytes.size()) != 1) {
      ctx_failed_ = true;
      return sha_failure();
    }
    return std::nullopt;
  }

  const ByteSource& src_;
  std::uint64_t pos_ = 0;
  std::vector<std::uint8_t> buffer_;
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx_;
  bool ctx_failed_ = false;
};

// Enough bytes at a flash offset to recognise an image header and its
// descriptor (magic at +0, descriptor at +32).
using Window = std::array<std::uint8_t, kAppDescOffset + 4>;

bool is_app_header(const Window& w) {
  return w[0] == kImageMagic && le32(&w[kAppDescOffset]) == kAppDescMagic;
}

bool is_bootloader_header(const Window& w) {
  return w[0] == kImageMagic && w[kAppDescOffset] == kBootloaderDescMagic;
}

bool is_partition_table(const Window& w) {
  return w[0] == kPartitionTableMagic[0] && w[1] == kPartitionTableMagic[1];
}

// A merged (factory) flash image carries the flash layout: a bootloader at the
// chip's bootloader offset, the partition table at 0x8000 and the first app at
// 0x10000. Any one of these at its usual place is taken as proof.
Outcome detect_merged(const ByteSource& src) {
  struct Signal {
    std::uint64_t offset;
    bool (*matches)(const Window&);
    const char* what;
  };
  const Signal signals[] = {
      {kMergedAppOffset, is_app_header, "an app image at 0x10000"},
      {kMergedPartitionTableOffset, is_partition_table, "a partition table at 0x8000"},
      {kMergedBootloaderOffsets[0], is_bootloader_header, "a bootloader at 0x1000"},
      {kMergedBootloaderOffsets[1], is_bootloader_header, "a bootloader at 0x2000"},
  };
  for (const Signal& signal : signals) {
    Window w{};
    if (!fits(src.size(), signal.offset, w.size())) continue;
    if (!src.read(signal.offset, w)) return read_failure(signal.offset);
    if (signal.matches(w)) {
      return Failure{ImageRejection::MergedImage,
                     std::string("file is a merged flash image (it contains ") + signal.what +
                         "); upload only the application .bin, not the bootloader/partition-table "
                         "bundle"};
    }
  }
  return std::nullopt;
}

// Look-alikes that can be recognised from the first bytes alone.
Outcome detect_foreign_format(std::span<const std::uint8_t> head) {
  if (head.size() < 4) return std::nullopt;
  const std::uint32_t magic = le32(head.data());
  if (magic == kDeltaPatchMagic) {
    return Failure{ImageRejection::DeltaPatch,
                   "file is an esp_delta_ota patch (magic 0xfccdde10), not an app image; upload "
                   "the full application .bin"};
  }
  if (magic == kEncryptedImageMagic) {
    return Failure{ImageRejection::EncryptedImage,
                   "file is a pre-encrypted esp_encrypted_img image (magic 0x0788b6cf), which the "
                   "server cannot validate; upload the plain application .bin"};
  }
  return std::nullopt;
}

void read_header(std::span<const std::uint8_t> head, EspImageInfo& info) {
  info.segment_count = head[1];
  info.spi_mode = head[2];
  info.spi_speed = head[3] & 0x0F;
  info.spi_size = head[3] >> 4;
  info.entry_addr = le32(&head[4]);
  info.chip_id = le16(&head[12]);
  info.chip = esp_chip_from_id(info.chip_id);
  info.min_chip_rev_full = le16(&head[15]);
  info.max_chip_rev_full = le16(&head[17]);
  info.hash_appended = head[23] != 0;
}

void read_app_desc(std::span<const std::uint8_t> head, EspImageInfo& info) {
  const std::span<const std::uint8_t> desc = head.subspan(kAppDescOffset, kAppDescSize);
  info.secure_version = le32(&desc[4]);
  info.version = text_field(desc.subspan(16, 32));
  info.project_name = text_field(desc.subspan(48, 32));
  info.compile_time = text_field(desc.subspan(80, 16));
  info.compile_date = text_field(desc.subspan(96, 16));
  info.idf_version = text_field(desc.subspan(112, 32));
  info.elf_sha256_hex = hex_bytes(desc.subspan(144, 32));
  info.mmu_page_size_log2 = desc[180];
  info.app_spi_flash_mode = desc[181];
}

// Walks the segments, checks the checksum and the appended digest, and sets
// info.image_len and info.appended_sha256_hex.
Outcome verify_body(const ByteSource& src, EspImageInfo& info) {
  const std::uint64_t size = src.size();
  ImageStream stream(src, info.hash_appended);
  std::array<std::uint8_t, kHeaderSize> header{};
  if (auto failure = stream.read(header)) return failure;

  std::uint8_t checksum = kChecksumSeed;
  for (unsigned i = 0; i < info.segment_count; ++i) {
    const std::uint64_t at = stream.position();
    const std::string name = "segment " + dec(i);
    if (!fits(size, at, kSegmentHeaderSize)) {
      return Failure{ImageRejection::SegmentOutOfBounds,
                     name + " header at offset " + dec(at) + " lies past the end of the file (" +
                         dec(size) + " bytes)"};
    }
    std::array<std::uint8_t, kSegmentHeaderSize> segment{};
    if (auto failure = stream.read(segment)) return failure;
    const std::uint32_t data_len = le32(&segment[4]);
    if (data_len % 4 != 0) {
      return Failure{ImageRejection::UnalignedSegment,
                     name + " length " + dec(data_len) + " is not a multiple of 4"};
    }
    if (data_len >= kMaxSegmentLen) {
      return Failure{ImageRejection::SegmentTooLarge,
                     name + " length " + dec(data_len) + " is not below 16 MiB"};
    }
    if (!fits(size, stream.position(), data_len)) {
      return Failure{ImageRejection::SegmentOutOfBounds,
                     name + " (" + dec(data_len) + " bytes at offset " + dec(stream.position()) +
                         ") runs past the end of the file (" + dec(size) + " bytes)"};
    }
    if (i == 0 && data_len < kAppDescSize) {
      return Failure{ImageRejection::MissingAppDescriptor,
                     "segment 0 is " + dec(data_len) +
                         " bytes, too short to hold the 256-byte app descriptor"};
    }
    if (auto failure = stream.consume_xor(data_len, checksum)) return failure;
  }

  // Zero padding, then the checksum byte as the last byte of a 16-byte block.
  const std::uint64_t data_end = stream.position();
  const std::uint64_t block_len = kChecksumAlign - (data_end % kChecksumAlign);
  if (!fits(size, data_end, block_len)) {
    return Failure{ImageRejection::TooShort, "file ends at " + dec(size) +
                                                 " bytes, before the checksum byte at offset " +
                                                 dec(data_end + block_len - 1)};
  }
  std::array<std::uint8_t, kChecksumAlign> block{};
  const std::span<std::uint8_t> tail(block.data(), static_cast<std::size_t>(block_len));
  if (auto failure = stream.read(tail)) return failure;
  if (tail.back() != checksum) {
    return Failure{ImageRejection::ChecksumMismatch,
                   "checksum byte at offset " + dec(stream.position() - 1) + " is " +
                       hex_value(tail.back()) + " but the segment data gives " +
                       hex_value(checksum)};
  }

  const std::uint64_t end = stream.position();
  info.image_len = end;
  if (!info.hash_appended) return std::nullopt;
  if (!fits(size, end, kDigestSize)) {
    return Failure{ImageRejection::TooShort,
                   "the header says a SHA-256 digest follows offset " + dec(end) +
                       ", but the file is only " + dec(size) + " bytes"};
  }
  std::array<std::uint8_t, kDigestSize> computed{};
  if (auto failure = stream.finish(computed)) return failure;
  std::array<std::uint8_t, kDigestSize> stored{};
  if (!src.read(end, stored)) return read_failure(end);
  if (computed != stored) {
    return Failure{ImageRejection::AppendedHashMismatch,
                   "the appended SHA-256 (" + hex_bytes(stored) +
                       ") does not match the image contents (" + hex_bytes(computed) + ")"};
  }
  info.appended_sha256_hex = hex_bytes(stored);
  info.image_len = end + kDigestSize;
  return std::nullopt;
}

Failure invalid_trailer(std::string why) {
  return {ImageRejection::InvalidTrailer, std::move(why)};
}

Outcome verify_sbv2_sector(const ByteSource& src, std::uint64_t sector, SignatureKind& kind) {
  std::vector<std::uint8_t> bytes(kSbv2SectorSize);
  if (!src.read(sector, bytes)) return read_failure(sector);
  for (std::uint64_t i = 0; i < kSbv2MaxBlocks; ++i) {
    const std::span<const std::uint8_t> block =
        std::span<const std::uint8_t>(bytes).subspan(i * kSbv2BlockSize, kSbv2BlockSize);
    const std::string where = "Secure Boot V2 block " + dec(i) + " at offset " +
                              dec(sector + i * kSbv2BlockSize);
    if (block[0] != kSbv2BlockMagic) {
      if (i == 0) {
        return invalid_trailer("the file ends with a 4096-byte sector at offset " + dec(sector) +
                               " that does not start with a Secure Boot V2 signature block (0xe7)");
      }
      break;
    }
    if (crc32_ieee(block.first(kSbv2CrcOffset)) != le32(&block[kSbv2CrcOffset])) {
      return invalid_trailer(where + " has a bad CRC-32");
    }
    SignatureKind block_kind;
    if (block[1] == kSbv2VersionRsa) {
      block_kind = SignatureKind::SecureBootV2Rsa;
    } else if (block[1] == kSbv2VersionEcdsa) {
      block_kind = SignatureKind::SecureBootV2Ecdsa;
    } else {
      return invalid_trailer(where + " has unknown version " + hex_value(block[1]));
    }
    if (i > 0 && block_kind != kind) {
      return invalid_trailer(where + " uses a different signature scheme than block 0");
    }
    kind = block_kind;
  }
  return std::nullopt;
}

Outcome classify_trailer(const ByteSource& src, EspImageInfo& info) {
  const std::uint64_t size = src.size();
  const std::uint64_t start = info.image_len;
  const std::uint64_t trailer = size - start;
  if (trailer == 0) {
    info.signature = SignatureKind::None;
    return std::nullopt;
  }
  if (trailer == kSignedAppV1BlockSize) {
    std::array<std::uint8_t, 4> version{};
    if (!src.read(start, version)) return read_failure(start);
    if (le32(version.data()) != 0) {
      return invalid_trailer("the 68-byte signature block at offset " + dec(start) +
                             " has version " + dec(le32(version.data())) + ", expected 0");
    }
    info.signature = SignatureKind::SignedAppV1;
    return std::nullopt;
  }
  const std::uint64_t misalign = start % kSbv2SectorSize;
  const std::uint64_t gap = misalign == 0 ? 0 : kSbv2SectorSize - misalign;
  if (gap < trailer && trailer - gap == kSbv2SectorSize) {
    return verify_sbv2_sector(src, start + gap, info.signature);
  }
  return invalid_trailer(dec(trailer) + " unexpected bytes follow the image end at offset " +
                         dec(start) +
                         "; expected nothing, a 68-byte signature block, or a 4096-byte Secure "
                         "Boot V2 sector at offset " + dec(start + gap));
}

Outcome inspect(const ByteSource& src, EspImageInfo& info) {
  const std::uint64_t size = src.size();
  std::array<std::uint8_t, kMinImageSize> head_bytes{};
  const std::span<std::uint8_t> head(head_bytes.data(),
                                     static_cast<std::size_t>(std::min(size, kMinImageSize)));
  if (!src.read(0, head)) return read_failure(0);

  if (auto failure = detect_foreign_format(head)) return failure;
  if (size < kMinImageSize) {
    return Failure{ImageRejection::TooShort,
                   "file is " + dec(size) + " bytes; an app image needs at least " +
                       dec(kMinImageSize) + " (header, segment header and app descriptor)"};
  }
  if (head[0] != kImageMagic) {
    if (auto failure = detect_merged(src)) return failure;
    return Failure{ImageRejection::BadMagic,
                   "first byte is " + hex_value(head[0]) + ", not the ESP image magic 0xe9"};
  }
  if (le32(&head[kAppDescOffset]) != kAppDescMagic) {
    if (auto failure = detect_merged(src)) return failure;
    if (head[kAppDescOffset] == kBootloaderDescMagic) {
      return Failure{ImageRejection::Bootloader,
                     "file is a bootloader image (bootloader descriptor at offset 32); upload the "
                     "application .bin"};
    }
  }

  read_header(head, info);
  if (info.segment_count == 0 || info.segment_count > kMaxSegments) {
    return Failure{ImageRejection::BadSegmentCount,
                   "segment count is " + dec(info.segment_count) + ", expected 1 to " +
                       dec(kMaxSegments)};
  }
  if (auto failure = verify_body(src, info)) return failure;

  const std::uint32_t desc_magic = le32(&head[kAppDescOffset]);
  if (desc_magic != kAppDescMagic) {
    return Failure{ImageRejection::MissingAppDescriptor,
                   "no app descriptor: the word at offset 32 is " + hex_value(desc_magic) +
                       ", expected 0xabcd5432"};
  }
  read_app_desc(head, info);
  return classify_trailer(src, info);
}

}  // namespace

EspChip esp_chip_from_id(std::uint16_t chip_id) {
  switch (chip_id) {
    case 0x0000: return EspChip::Esp32;
    case 0x0002: return EspChip::Esp32S2;
    case 0x0005: return EspChip::Esp32C3;
    case 0x0009: return EspChip::Esp32S3;
    case 0x000C: return EspChip::Esp32C2;
    case 0x000D: return EspChip::Esp32C6;
    case 0x0010: return EspChip::Esp32H2;
    case 0x0012: return EspChip::Esp32P4;
    case 0x0014: return EspChip::Esp32C61;
    case 0x0017: return EspChip::Esp32C5;
    case 0x0019: return EspChip::Esp32H21;
    case 0x001C: return EspChip::Esp32H4;
    case 0x0020: return EspChip::Esp32S31;
    default: return EspChip::Unknown;
  }
}

std::string_view chip_name(EspChip chip) {
  switch (chip) {
    case EspChip::Esp32: return "esp32";
    case EspChip::Esp32S2: return "esp32s2";
    case EspChip::Esp32C3: return "esp32c3";
    case EspChip::Esp32S3: return "esp32s3";
    case EspChip::Esp32C2: return "esp32c2";
    case EspChip::Esp32C6: return "esp32c6";
    case EspChip::Esp32H2: return "esp32h2";
    case EspChip::Esp32P4: return "esp32p4";
    case EspChip::Esp32C61: return "esp32c61";
    case EspChip::Esp32C5: return "esp32c5";
    case EspChip::Esp32H21: return "esp32h21";
    case EspChip::Esp32H4: return "esp32h4";
    case EspChip::Esp32S31: return "esp32s31";
    case EspChip::Unknown: break;
  }
  return "unknown";
}

std::string_view signature_kind_name(SignatureKind kind) {
  switch (kind) {
    case SignatureKind::None: return "none";
    case SignatureKind::SignedAppV1: return "v1";
    case SignatureKind::SecureBootV2Rsa: return "sbv2-rsa";
    case SignatureKind::SecureBootV2Ecdsa: return "sbv2-ecdsa";
  }
  return "none";
}

std::string_view image_rejection_name(ImageRejection rejection) {
  switch (rejection) {
    case ImageRejection::TooShort: return "too_short";
    case ImageRejection::BadMagic: return "bad_magic";
    case ImageRejection::BadSegmentCount: return "bad_segment_count";
    case ImageRejection::SegmentOutOfBounds: return "segment_out_of_bounds";
    case ImageRejection::UnalignedSegment: return "unaligned_segment";
    case ImageRejection::SegmentTooLarge: return "segment_too_large";
    case ImageRejection::ChecksumMismatch: return "checksum_mismatch";
    case ImageRejection::AppendedHashMismatch: return "appended_hash_mismatch";
    case ImageRejection::MissingAppDescriptor: return "missing_app_descriptor";
    case ImageRejection::Bootloader: return "bootloader";
    case ImageRejection::MergedImage: return "merged_image";
    case ImageRejection::EncryptedImage: return "encrypted_image";
    case ImageRejection::DeltaPatch: return "delta_patch";
    case ImageRejection::InvalidTrailer: return "invalid_trailer";
    case ImageRejection::ReadError: return "read_error";
  }
  return "read_error";
}

EspImageCheck inspect_esp_app_image(const ByteSource& src) {
  EspImageCheck check;
  EspImageInfo info;
  if (auto failure = inspect(src, info)) {
    check.rejection = failure->rejection;
    check.message = std::move(failure->message);
    return check;
  }
  check.info = std::move(info);
  return check;
}

}  // namespace apiota::domain
