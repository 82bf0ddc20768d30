#include "domain/esp_image.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "support/esp_image_builder.h"

using namespace apiota::domain;
using namespace apiota::testing;

namespace {

using Bytes = std::vector<std::uint8_t>;

EspImageCheck inspect(const Bytes& bytes) {
  return inspect_esp_app_image(MemoryByteSource(bytes));
}

void put32(Bytes& b, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (8 * i));
}

std::uint32_t get32(const Bytes& b, std::size_t at) {
  return static_cast<std::uint32_t>(b[at]) | (static_cast<std::uint32_t>(b[at + 1]) << 8) |
         (static_cast<std::uint32_t>(b[at + 2]) << 16) | (static_cast<std::uint32_t>(b[at + 3]) << 24);
}

std::string to_hex(const std::uint8_t* p, std::size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (std::size_t i = 0; i < n; ++i) {
    s.push_back(digits[p[i] >> 4]);
    s.push_back(digits[p[i] & 0xF]);
  }
  return s;
}

// Rewrites the appended digest after a test edits bytes it covers.
void rehash(Bytes& image, const EspImageLayout& layout) {
  const std::size_t end = layout.checksum_offset + 1;
  unsigned int len = 0;
  ASSERT_EQ(EVP_Digest(image.data(), end, &image[end], &len, EVP_sha256(), nullptr), 1);
}

// Changes a byte of segment data and keeps the XOR checksum consistent.
void edit_segment_byte(Bytes& image, const EspImageLayout& layout, std::size_t at, std::uint8_t value) {
  image[layout.checksum_offset] ^= static_cast<std::uint8_t>(image[at] ^ value);
  image[at] = value;
}

// A source that fails any read touching [fail_from, size), and records the
// largest single read the parser asked for.
class FlakySource final : public ByteSource {
 public:
  FlakySource(const Bytes& bytes, std::uint64_t fail_from) : bytes_(bytes), fail_from_(fail_from) {}
  std::uint64_t size() const override { return bytes_.size(); }
  bool read(std::uint64_t offset, std::span<std::uint8_t> out) const override {
    largest_read_ = std::max<std::uint64_t>(largest_read_, out.size());
    if (offset + out.size() > fail_from_ && !out.empty()) return false;
    return MemoryByteSource(bytes_).read(offset, out);
  }
  std::uint64_t largest_read() const { return largest_read_; }

 private:
  const Bytes& bytes_;
  std::uint64_t fail_from_;
  mutable std::uint64_t largest_read_ = 0;
};

// ---- the builder itself, checked against the spec by hand ----

TEST(EspImageBuilder, LaysOutHeaderDescriptorPaddingAndChecksumPerSpec) {
  EspImageSpec spec;
  spec.hash_appended = false;
  const Bytes image = build_esp_app_image(spec);
  const EspImageLayout layout = esp_app_image_layout(spec);
  ASSERT_EQ(image.size(), layout.image_len);
  EXPECT_EQ(image[0], 0xE9);
  EXPECT_EQ(image[1], 3);
  EXPECT_EQ(get32(image, 32), 0xABCD5432u);
  EXPECT_EQ((layout.checksum_offset + 1) % 16, 0u);
  EXPECT_EQ(layout.checksum_offset, image.size() - 1);
  std::uint8_t x = 0xEF;
  for (std::size_t i = 0; i < layout.segment_header_offsets.size(); ++i) {
    const std::size_t data = layout.segment_header_offsets[i] + 8;
    EXPECT_EQ(get32(image, data - 4), layout.segment_lengths[i]);
    for (std::size_t j = 0; j < layout.segment_lengths[i]; ++j) x ^= image[data + j];
  }
  EXPECT_EQ(image[layout.checksum_offset], x);
}

// ---- valid images ----

struct ChipCase {
  std::uint16_t id;
  EspChip chip;
  const char* name;
};

class ValidChipTest : public ::testing::TestWithParam<std::tuple<ChipCase, bool>> {};

TEST_P(ValidChipTest, AcceptsImageAndReportsChipAndDigest) {
  const auto& [chip, hashed] = GetParam();
  EspImageSpec spec;
  spec.chip_id = chip.id;
  spec.hash_appended = hashed;
  const Bytes image = build_esp_app_image(spec);
  const EspImageCheck check = inspect(image);
  ASSERT_TRUE(check.ok()) << check.message;
  const EspImageInfo& info = *check.info;
  EXPECT_EQ(info.chip_id, chip.id);
  EXPECT_EQ(info.chip, chip.chip);
  EXPECT_EQ(chip_name(info.chip), chip.name);
  EXPECT_EQ(info.image_len, image.size());
  EXPECT_EQ(info.hash_appended, hashed);
  EXPECT_EQ(info.appended_sha256_hex, hashed ? to_hex(&image[image.size() - 32], 32) : "");
  EXPECT_EQ(info.signature, SignatureKind::None);
  EXPECT_TRUE(check.message.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Chips, ValidChipTest,
    ::testing::Combine(::testing::Values(ChipCase{0x0000, EspChip::Esp32, "esp32"},
                                         ChipCase{0x0009, EspChip::Esp32S3, "esp32s3"},
                                         ChipCase{0x0005, EspChip::Esp32C3, "esp32c3"},
                                         ChipCase{0x000D, EspChip::Esp32C6, "esp32c6"},
                                         ChipCase{0x0017, EspChip::Esp32C5, "esp32c5"},
                                         ChipCase{0x0013, EspChip::Unknown, "unknown"},
                                         ChipCase{0xFFFF, EspChip::Unknown, "unknown"}),
                       ::testing::Bool()));

TEST(EspImage, ExtractsEveryMetadataFieldFromTheSpec) {
  EspImageSpec spec;
  spec.chip_id = 0x0009;
  spec.version = "v2.3.4-17-gdeadbee";
  spec.project_name = "greenhouse_node";
  spec.secure_version = 0x01020304;
  spec.idf_version = "v5.3.1-dirty";
  spec.compile_time = "23:59:01";
  spec.compile_date = "Feb 29 2024";
  for (std::size_t i = 0; i < spec.elf_sha256.size(); ++i) spec.elf_sha256[i] = static_cast<std::uint8_t>(0xA0 + i);
  spec.min_chip_rev_full = 101;
  spec.max_chip_rev_full = 299;
  spec.entry_addr = 0x40375A1C;
  spec.spi_mode = 3;
  spec.spi_speed = 0xF;
  spec.spi_size = 4;
  spec.mmu_page_size_log2 = 15;
  spec.app_spi_flash_mode = 5;
  spec.segment_count = 5;
  spec.payload_bytes = 20000;

  const EspImageCheck check = inspect(build_esp_app_image(spec));
  ASSERT_TRUE(check.ok()) << check.message;
  const EspImageInfo& info = *check.info;
  EXPECT_EQ(info.version, spec.version);
  EXPECT_EQ(info.project_name, spec.project_name);
  EXPECT_EQ(info.secure_version, spec.secure_version);
  EXPECT_EQ(info.idf_version, spec.idf_version);
  EXPECT_EQ(info.compile_time, spec.compile_time);
  EXPECT_EQ(info.compile_date, spec.compile_date);
  EXPECT_EQ(info.elf_sha256_hex, "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf");
  EXPECT_EQ(info.chip, EspChip::Esp32S3);
  EXPECT_EQ(info.min_chip_rev_full, 101);
  EXPECT_EQ(info.max_chip_rev_full, 299);
  EXPECT_EQ(info.entry_addr, 0x40375A1Cu);
  EXPECT_EQ(info.spi_mode, 3);
  EXPECT_EQ(info.spi_speed, 0xF);
  EXPECT_EQ(info.spi_size, 4);
  EXPECT_EQ(info.mmu_page_size_log2, 15);
  EXPECT_EQ(info.app_spi_flash_mode, 5);
  EXPECT_EQ(info.segment_count, 5);
}

TEST(EspImage, TextFieldsStopAtNulAndNeverCarryControlBytes) {
  EspImageSpec spec;
  spec.version = std::string(32, 'v');  // fills the slot: no NUL at all
  spec.project_name = std::string("ab\x01\x7f" "c\xff", 6);
  spec.idf_version = std::string("v5\0hidden", 9);
  const EspImageCheck check = inspect(build_esp_app_image(spec));
  ASSERT_TRUE(check.ok()) << check.message;
  EXPECT_EQ(check.info->version, std::string(32, 'v'));
  EXPECT_EQ(check.info->project_name, "ab??c?");
  EXPECT_EQ(check.info->idf_version, "v5");
}

TEST(EspImage, AnyNonZeroHashAppendedByteMeansADigestFollows) {
  EspImageSpec spec;
  Bytes image = build_esp_app_image(spec);
  image[23] = 2;
  rehash(image, esp_app_image_layout(spec));
  const EspImageCheck check = inspect(image);
  ASSERT_TRUE(check.ok()) << check.message;
  EXPECT_TRUE(check.info->hash_appended);
  EXPECT_EQ(check.info->image_len, image.size());
}

TEST(EspImage, LargeImagesAreStreamedInBoundedReads) {
  for (std::size_t payload : {std::size_t{1536} * 1024, std::size_t{16} << 20}) {
    EspImageSpec spec;
    spec.payload_bytes = payload;
    spec.segment_count = 4;
    const Bytes image = build_esp_app_image(spec);
    ASSERT_GT(image.size(), payload);
    FlakySource src(image, image.size());
    const EspImageCheck check = inspect_esp_app_image(src);
    ASSERT_TRUE(check.ok()) << check.message;
    EXPECT_EQ(check.info->image_len, image.size());
    EXPECT_LE(src.largest_read(), 64u * 1024);
  }
}

// ---- signature trailers ----

TEST(EspImage, SignedAppV1BlockIsRecognised) {
  const Bytes unsigned_image = build_esp_app_image(EspImageSpec{});
  const Bytes image = append_signed_app_v1_block(unsigned_image);
  ASSERT_EQ(image.size(), unsigned_image.size() + 68);
  const EspImageCheck check = inspect(image);
  ASSERT_TRUE(check.ok()) << check.message;
  EXPECT_EQ(check.info->signature, SignatureKind::SignedAppV1);
  EXPECT_EQ(check.info->image_len, unsigned_image.size());
}

TEST(EspImage, SignedAppV1BlockWithNonZeroVersionIsRejected) {
  Bytes image = build_esp_app_image(EspImageSpec{});
  const std::size_t image_len = image.size();
  image = append_signed_app_v1_block(image);
  image[image_len] = 1;
  const EspImageCheck check = inspect(image);
  ASSERT_FALSE(check.ok());
  EXPECT_EQ(check.rejection, ImageRejection::InvalidTrailer);
}

TEST(EspImage, SecureBootV2SectorIsRecognisedForBothSchemes) {
  for (bool ecdsa : {false, true}) {
    const Bytes unsigned_image = build_esp_app_image(EspImageSpec{});
    const Bytes image = append_secure_boot_v2_sector(unsigned_image, ecdsa);
    ASSERT_EQ(image.size(), (unsigned_image.size() + 4095) / 4096 * 4096 + 4096);
    const EspImageCheck check = inspect(image);
    ASSERT_TRUE(check.ok()) << check.message;
    EXPECT_EQ(check.info->signature, ecdsa ? SignatureKind::SecureBootV2Ecdsa : SignatureKind::SecureBootV2Rsa);
    EXPECT_EQ(check.info->image_len, unsigned_image.size());
  }
}

TEST(EspImage, SecureBootV2SectorDirectlyAfterA4096AlignedImage) {
  EspImageSpec spec;
  spec.segment_count = 1;
  spec.payload_bytes = 4016;
  ASSERT_EQ(esp_app_image_layout(spec).image_len, 4096u);
  const Bytes image = append_secure_boot_v2_sector(build_esp_app_image(spec), true);
  ASSERT_EQ(image.size(), 8192u);
  const EspImageCheck check = inspect(image);
  ASSERT_TRUE(check.ok()) << check.message;
  EXPECT_EQ(check.info->signature, SignatureKind::SecureBootV2Ecdsa);
}

TEST(EspImage, SecureBootV2BlockCrcMatchesZlib) {
  // CRC values computed with Python's zlib.crc32 over block[0:1196], where
  // block[0] = 0xE7, block[1] = version, block[i] = (7 * i + 3) & 0xFF.
  const std::pair<std::uint8_t, std::uint32_t> cases[] = {{0x02, 0x771266cd}, {0x03, 0x43a6f59c}};
  for (const auto& [version, crc] : cases) {
    Bytes image = build_esp_app_image(EspImageSpec{});
    const std::size_t sector = (image.size() + 4095) / 4096 * 4096;
    image.resize(sector + 4096, 0xFF);
    image[sector] = 0xE7;
    image[sector + 1] = version;
    for (std::size_t i = 2; i < 1196; ++i) image[sector + i] = static_cast<std::uint8_t>((7 * i + 3) & 0xFF);
    put32(image, sector + 1196, crc);
    std::fill_n(image.begin() + static_cast<std::ptrdiff_t>(sector + 1200), 16, 0);
    const EspImageCheck check = inspect(image);
    ASSERT_TRUE(check.ok()) << check.message;
    EXPECT_EQ(check.info->signature, version == 2 ? SignatureKind::SecureBootV2Rsa : SignatureKind::SecureBootV2Ecdsa);
  }
}

TEST(EspImage, SecureBootV2AcceptsUpToThreeValidBlocks) {
  Bytes image = append_secure_boot_v2_sector(build_esp_app_image(EspImageSpec{}), false);
  const std::size_t sector = image.size() - 4096;
  for (std::size_t k : {1u, 2u}) {
    std::copy_n(image.begin() + static_cast<std::ptrdiff_t>(sector), 1216,
                image.begin() + static_cast<std::ptrdiff_t>(sector + k * 1216));
  }
  const EspImageCheck check = inspect(image);
  ASSERT_TRUE(check.ok()) << check.message;
  EXPECT_EQ(check.info->signature, SignatureKind::SecureBootV2Rsa);
}

TEST(EspImage, SecureBootV2SectorDefectsAreInvalidTrailers) {
  const Bytes rsa = append_secure_boot_v2_sector(build_esp_app_image(EspImageSpec{}), false);
  const Bytes ecdsa = append_secure_boot_v2_sector(build_esp_app_image(EspImageSpec{}), true);
  const std::size_t sector = rsa.size() - 4096;
  ASSERT_EQ(ecdsa.size() - 4096, sector);

  struct Case {
    const char* name;
    Bytes image;
  };
  std::vector<Case> cases;
  {
    Bytes b = rsa;
    b[sector + 100] ^= 0x01;
    cases.push_back({"block 0 CRC wrong", b});
  }
  {
    Bytes b = rsa;
    b[sector] = 0xFF;
    cases.push_back({"no block magic", b});
  }
  {
    Bytes b = rsa;
    std::copy_n(rsa.begin() + static_cast<std::ptrdiff_t>(sector), 1216, b.begin() + static_cast<std::ptrdiff_t>(sector + 1216));
    b[sector + 1216 + 50] ^= 0x80;
    cases.push_back({"block 1 CRC wrong", b});
  }
  {
    Bytes b = rsa;
    std::copy_n(ecdsa.begin() + static_cast<std::ptrdiff_t>(sector), 1216, b.begin() + static_cast<std::ptrdiff_t>(sector + 1216));
    cases.push_back({"mixed schemes", b});
  }
  {
    Bytes b(rsa.begin(), rsa.begin() + static_cast<std::ptrdiff_t>(sector));
    b.resize(sector + 4096, 0xFF);
    cases.push_back({"sector of 0xFF", b});
  }
  for (const Case& c : cases) {
    const EspImageCheck check = inspect(c.image);
    ASSERT_FALSE(check.ok()) << c.name;
    EXPECT_EQ(check.rejection, ImageRejection::InvalidTrailer) << c.name << ": " << check.message;
  }
}

TEST(EspImage, GarbageAfterTheImageIsAnInvalidTrailer) {
  const Bytes base = build_esp_app_image(EspImageSpec{});
  const std::size_t aligned = (base.size() + 4095) / 4096 * 4096;
  for (std::size_t extra : {std::size_t{1}, std::size_t{67}, std::size_t{69}, std::size_t{4096},
                            aligned - base.size(), aligned + 4095 - base.size(), aligned + 4097 - base.size()}) {
    Bytes image = base;
    image.resize(base.size() + extra, 0xFF);
    const EspImageCheck check = inspect(image);
    ASSERT_FALSE(check.ok()) << extra;
    EXPECT_EQ(check.rejection, ImageRejection::InvalidTrailer) << extra << ": " << check.message;
  }
}

// ---- broken images ----

struct BadCase {
  const char* name;
  Bytes image;
  ImageRejection expected;
};

std::vector<BadCase> bad_cases() {
  std::vector<BadCase> cases;
  EspImageSpec spec;
  const Bytes good = build_esp_app_image(spec);
  const EspImageLayout layout = esp_app_image_layout(spec);
  const std::size_t last = layout.segment_header_offsets.back();
  auto edited = [&](auto edit) {
    Bytes b = good;
    edit(b);
    return b;
  };

  cases.push_back({"empty", {}, ImageRejection::TooShort});
  cases.push_back({"287 bytes", Bytes(good.begin(), good.begin() + 287), ImageRejection::TooShort});
  cases.push_back({"bad magic", edited([](Bytes& b) { b[0] = 0xEA; }), ImageRejection::BadMagic});
  cases.push_back({"zero segments", edited([](Bytes& b) { b[1] = 0; }), ImageRejection::BadSegmentCount});
  cases.push_back({"17 segments", edited([](Bytes& b) { b[1] = 17; }), ImageRejection::BadSegmentCount});
  cases.push_back({"unaligned segment 1",
                   edited([&](Bytes& b) { put32(b, layout.segment_header_offsets[1] + 4, get32(b, layout.segment_header_offsets[1] + 4) + 2); }),
                   ImageRejection::UnalignedSegment});
  cases.push_back({"last segment past end",
                   edited([&](Bytes& b) { put32(b, last + 4, get32(b, last + 4) + 4096); }),
                   ImageRejection::SegmentOutOfBounds});
  cases.push_back({"segment of 16 MiB", edited([](Bytes& b) { put32(b, 28, 0x1000000); }),
                   ImageRejection::SegmentTooLarge});
  cases.push_back({"segment of 4 GiB - 4", edited([](Bytes& b) { put32(b, 28, 0xFFFFFFFC); }),
                   ImageRejection::SegmentTooLarge});
  cases.push_back({"segment 0 shorter than the app descriptor", edited([](Bytes& b) { put32(b, 28, 128); }),
                   ImageRejection::MissingAppDescriptor});
  cases.push_back({"checksum byte flipped", edited([&](Bytes& b) { b[layout.checksum_offset] ^= 0x01; }),
                   ImageRejection::ChecksumMismatch});
  cases.push_back({"data byte flipped", edited([&](Bytes& b) { b[last + 8 + 10] ^= 0x40; }),
                   ImageRejection::ChecksumMismatch});
  cases.push_back({"two data bits cancel in the checksum",
                   edited([&](Bytes& b) {
                     b[last + 8 + 10] ^= 0x40;
                     b[last + 8 + 11] ^= 0x40;
                   }),
                   ImageRejection::AppendedHashMismatch});
  cases.push_back({"appended hash flipped", edited([](Bytes& b) { b.back() ^= 0x01; }),
                   ImageRejection::AppendedHashMismatch});
  cases.push_back({"appended hash cut off", Bytes(good.begin(), good.end() - 32), ImageRejection::TooShort});
  {
    Bytes b = good;
    edit_segment_byte(b, layout, 32, 0x33);
    rehash(b, layout);
    cases.push_back({"app descriptor magic missing", b, ImageRejection::MissingAppDescriptor});
  }
  cases.push_back({"bootloader", build_bootloader_image(0x0009), ImageRejection::Bootloader});
  cases.push_back({"delta patch", build_delta_patch(), ImageRejection::DeltaPatch});
  cases.push_back({"encrypted image", build_encrypted_image(), ImageRejection::EncryptedImage});
  for (std::uint16_t chip : {0x0000, 0x0002, 0x0005, 0x0009, 0x0012, 0x0017}) {
    cases.push_back({"merged image", build_merged_image(chip), ImageRejection::MergedImage});
  }
  {
    Bytes merged = build_merged_image(0x0000);
    std::fill(merged.begin() + 0x8000, merged.end(), 0xFF);
    cases.push_back({"bootloader at 0x1000 only", merged, ImageRejection::MergedImage});
  }
  {
    Bytes merged = build_merged_image(0x0009);
    std::fill(merged.begin() + 0x8000, merged.begin() + 0x9000, 0xFF);
    cases.push_back({"bootloader at 0 and app at 0x10000", merged, ImageRejection::MergedImage});
  }
  return cases;
}

TEST(EspImage, RejectsEachKindOfBrokenImageWithItsOwnReason) {
  for (const BadCase& c : bad_cases()) {
    const EspImageCheck check = inspect(c.image);
    ASSERT_FALSE(check.ok()) << c.name;
    EXPECT_EQ(check.rejection, c.expected)
        << c.name << ": got " << image_rejection_name(check.rejection) << " (" << check.message << ")";
    EXPECT_FALSE(check.message.empty()) << c.name;
  }
}

TEST(EspImage, RandomBytesAreRejected) {
  std::mt19937 rng(20240229);
  for (int round = 0; round < 500; ++round) {
    Bytes b(static_cast<std::size_t>(rng() % 9000));
    for (auto& byte : b) byte = static_cast<std::uint8_t>(rng());
    if (round % 2 == 0 && b.size() > 40) {
      b[0] = 0xE9;  // get past the magic so the segment walk sees noise
      b[1] = static_cast<std::uint8_t>(1 + rng() % 16);
    }
    const EspImageCheck check = inspect(b);
    EXPECT_FALSE(check.ok()) << "round " << round;
    EXPECT_NE(check.rejection, ImageRejection::ReadError) << "round " << round << ": " << check.message;
  }
}

TEST(EspImage, EveryTruncationIsRejected) {
  EspImageSpec small;
  small.payload_bytes = 600;
  small.segment_count = 2;
  EspImageSpec no_hash = small;
  no_hash.hash_appended = false;
  const Bytes unsigned_image = build_esp_app_image(small);
  const Bytes images[] = {unsigned_image, build_esp_app_image(no_hash),
                          append_signed_app_v1_block(unsigned_image),
                          append_secure_boot_v2_sector(unsigned_image, false)};
  for (const Bytes& full : images) {
    ASSERT_TRUE(inspect(full).ok());
    for (std::size_t len = 0; len < full.size(); ++len) {
      const Bytes prefix(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(len));
      const EspImageCheck check = inspect(prefix);
      if (len == unsigned_image.size()) {
        // A signed image cut exactly at its end is the unsigned image again.
        ASSERT_TRUE(check.ok()) << check.message;
        EXPECT_EQ(check.info->signature, SignatureKind::None);
        continue;
      }
      ASSERT_FALSE(check.ok()) << "prefix of " << len << " of " << full.size() << " bytes";
      // A memory source only fails reads outside the data: the parser must
      // notice the short file before asking for bytes past its end.
      ASSERT_NE(check.rejection, ImageRejection::ReadError) << len << ": " << check.message;
    }
  }
}

TEST(EspImage, ReadFailuresAreReportedAsReadErrors) {
  // The last two failure points hit the appended digest and the V1 version word.
  const Bytes image = append_signed_app_v1_block(build_esp_app_image(EspImageSpec{}));
  for (std::uint64_t fail_from : {std::uint64_t{0}, std::uint64_t{100}, std::uint64_t{2000},
                                  std::uint64_t{image.size() - 68 - 10}, std::uint64_t{image.size() - 68}}) {
    FlakySource src(image, fail_from);
    const EspImageCheck check = inspect_esp_app_image(src);
    ASSERT_FALSE(check.ok()) << fail_from;
    EXPECT_EQ(check.rejection, ImageRejection::ReadError) << fail_from << ": " << check.message;
  }
}

// ---- names ----

TEST(EspImage, NamesAreDistinctAndStable) {
  EXPECT_EQ(signature_kind_name(SignatureKind::None), "none");
  EXPECT_EQ(signature_kind_name(SignatureKind::SignedAppV1), "v1");
  EXPECT_EQ(signature_kind_name(SignatureKind::SecureBootV2Rsa), "sbv2-rsa");
  EXPECT_EQ(signature_kind_name(SignatureKind::SecureBootV2Ecdsa), "sbv2-ecdsa");

  const std::pair<std::uint16_t, const char*> chips[] = {
      {0x00, "esp32"},   {0x02, "esp32s2"},  {0x05, "esp32c3"},  {0x09, "esp32s3"}, {0x0C, "esp32c2"},
      {0x0D, "esp32c6"}, {0x10, "esp32h2"},  {0x12, "esp32p4"},  {0x14, "esp32c61"}, {0x17, "esp32c5"},
      {0x19, "esp32h21"}, {0x1C, "esp32h4"}, {0x20, "esp32s31"}, {0x01, "unknown"}, {0x11, "unknown"}};
  for (const auto& [id, name] : chips) EXPECT_EQ(chip_name(esp_chip_from_id(id)), name) << id;

  std::set<std::string_view> rejection_names;
  for (int r = static_cast<int>(ImageRejection::TooShort); r <= static_cast<int>(ImageRejection::ReadError); ++r) {
    rejection_names.insert(image_rejection_name(static_cast<ImageRejection>(r)));
  }
  EXPECT_EQ(rejection_names.size(), 15u);
}

}  // namespace
