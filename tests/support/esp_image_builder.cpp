#include "support/esp_image_builder.h"

#include <openssl/evp.h>

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace apiota::testing {
namespace {

using Bytes = std::vector<std::uint8_t>;

// xorshift32: fast, deterministic filler; quality does not matter here.
class Filler {
 public:
  explicit Filler(std::uint32_t seed) : state_(seed == 0 ? 0x9E3779B9u : seed) {}

  std::uint32_t next() {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 17;
    state_ ^= state_ << 5;
    return state_;
  }

  void fill(std::uint8_t* out, std::size_t len) {
    std::size_t i = 0;
    for (; i + 4 <= len; i += 4) put32(out + i, next());
    for (; i < len; ++i) out[i] = static_cast<std::uint8_t>(next());
  }

  static void put32(std::uint8_t* out, std::uint32_t v) {
    out[0] = static_cast<std::uint8_t>(v);
    out[1] = static_cast<std::uint8_t>(v >> 8);
    out[2] = static_cast<std::uint8_t>(v >> 16);
    out[3] = static_cast<std::uint8_t>(v >> 24);
  }

 private:
  std::uint32_t state_;
};

void put16(Bytes& b, std::size_t at, std::uint16_t v) {
  b[at] = static_cast<std::uint8_t>(v);
  b[at + 1] = static_cast<std::uint8_t>(v >> 8);
}

void put32(Bytes& b, std::size_t at, std::uint32_t v) { Filler::put32(&b[at], v); }

void put_text(Bytes& b, std::size_t at, std::size_t slot, const std::string& s) {
  std::copy_n(s.begin(), std::min(s.size(), slot), b.begin() + static_cast<std::ptrdiff_t>(at));
}

void append_filler(Bytes& b, std::size_t len, std::uint32_t seed) {
  const std::size_t at = b.size();
  b.resize(at + len);
  Filler(seed).fill(b.data() + at, len);
}

std::array<std::uint8_t, 32> sha256(const std::uint8_t* data, std::size_t len) {
  std::array<std::uint8_t, 32> digest{};
  unsigned int out_len = 0;
  if (EVP_Digest(data, len, digest.data(), &out_len, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("EVP_Digest(sha256) failed");
  }
  return digest;
}

// Bit-at-a-time IEEE CRC-32 (zlib.crc32), deliberately not table-driven.
std::uint32_t crc32_bitwise(const std::uint8_t* data, std::size_t len) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (std::size_t i = 0; i < len; ++i) {
    crc ^= data[i];
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

// The bootloader's way: XOR 32-bit words, then fold the word into one byte.
std::uint8_t fold_checksum(std::uint32_t word_xor) {
  const std::uint32_t seeded = word_xor ^ 0xEFu;
  return static_cast<std::uint8_t>(seeded ^ (seeded >> 8) ^ (seeded >> 16) ^ (seeded >> 24));
}

std::uint32_t xor_words(const std::uint8_t* data, std::size_t len) {
  std::uint32_t acc = 0;
  for (std::size_t i = 0; i + 4 <= len; i += 4) {
    acc ^= static_cast<std::uint32_t>(data[i]) | (static_cast<std::uint32_t>(data[i + 1]) << 8) |
           (static_cast<std::uint32_t>(data[i + 2]) << 16) |
           (static_cast<std::uint32_t>(data[i + 3]) << 24);
  }
  return acc;
}

struct Segment {
  std::uint32_t load_addr;
  Bytes data;  // length must be a multiple of 4
};

struct Header {
  std::uint8_t spi_mode = 2;
  std::uint8_t spi_speed = 0;
  std::uint8_t spi_size = 2;
  std::uint32_t entry_addr = 0;
  std::uint16_t chip_id = 0;
  std::uint16_t min_rev_full = 0;
  std::uint16_t max_rev_full = 399;
  bool hash_appended = true;
};

// esp_image_header_t, segments, zero padding to (len + 1) % 16 == 0, the
// checksum byte, then the optional SHA-256 of everything before it.
Bytes assemble_image(const Header& h, const std::vector<Segment>& segments) {
  Bytes out(24, 0);
  out[0] = 0xE9;
  out[1] = static_cast<std::uint8_t>(segments.size());
  out[2] = h.spi_mode;
  out[3] = static_cast<std::uint8_t>((h.spi_size << 4) | (h.spi_speed & 0x0F));
  put32(out, 4, h.entry_addr);
  out[8] = 0xEE;
  put16(out, 12, h.chip_id);
  out[14] = static_cast<std::uint8_t>(h.min_rev_full / 100);
  put16(out, 15, h.min_rev_full);
  put16(out, 17, h.max_rev_full);
  out[23] = h.hash_appended ? 1 : 0;

  std::uint32_t word_xor = 0;
  for (const Segment& s : segments) {
    const std::size_t at = out.size();
    out.resize(at + 8);
    put32(out, at, s.load_addr);
    put32(out, at + 4, static_cast<std::uint32_t>(s.data.size()));
    out.insert(out.end(), s.data.begin(), s.data.end());
    word_xor ^= xor_words(s.data.data(), s.data.size());
  }
  while ((out.size() + 1) % 16 != 0) out.push_back(0);
  out.push_back(fold_checksum(word_xor));
  if (h.hash_appended) {
    const auto digest = sha256(out.data(), out.size());
    out.insert(out.end(), digest.begin(), digest.end());
  }
  return out;
}

std::vector<std::size_t> segment_lengths_for(const EspImageSpec& spec) {
  if (spec.segment_count < 1 || spec.segment_count > 16) {
    throw std::invalid_argument("EspImageSpec::segment_count must be in 1..16");
  }
  const std::size_t n = static_cast<std::size_t>(spec.segment_count);
  const std::size_t per_segment = std::max<std::size_t>(((spec.payload_bytes + n - 1) / n + 3) / 4 * 4, 4);
  std::vector<std::size_t> lengths(n, per_segment);
  lengths[0] = std::max<std::size_t>(per_segment, 256);
  return lengths;
}

// esp_app_desc_t, 256 bytes.
Bytes app_desc(const EspImageSpec& spec) {
  Bytes d(256, 0);
  put32(d, 0, 0xABCD5432);
  put32(d, 4, spec.secure_version);
  put_text(d, 16, 32, spec.version);
  put_text(d, 48, 32, spec.project_name);
  put_text(d, 80, 16, spec.compile_time);
  put_text(d, 96, 16, spec.compile_date);
  put_text(d, 112, 32, spec.idf_version);
  std::copy(spec.elf_sha256.begin(), spec.elf_sha256.end(), d.begin() + 144);
  put16(d, 178, 99);  // max_efuse_blk_rev_full; min stays 0
  d[180] = spec.mmu_page_size_log2;
  d[181] = spec.app_spi_flash_mode;
  return d;
}

// Plausible ESP32 load addresses: DROM, DRAM, IRAM, IROM, then more IRAM.
std::uint32_t load_addr_for(std::size_t index) {
  constexpr std::uint32_t kAddrs[] = {0x3F400020, 0x3FFB0000, 0x40080000, 0x400D0020};
  if (index < std::size(kAddrs)) return kAddrs[index];
  return 0x40090000 + static_cast<std::uint32_t>(index) * 0x1000;
}

// esp_bootloader_desc_t, 80 bytes.
Bytes bootloader_desc() {
  Bytes d(80, 0);
  d[0] = 0x50;
  put32(d, 4, 1);
  put_text(d, 8, 32, "v5.2.1");
  put_text(d, 40, 24, "Jan  8 2026 12:34:56");
  return d;
}

std::size_t bootloader_offset_for(std::uint16_t chip_id) {
  switch (chip_id) {
    case 0x0000:
    case 0x0002: return 0x1000;
    case 0x0012:
    case 0x0017: return 0x2000;
    default: return 0;
  }
}

void put_partition(Bytes& b, std::size_t at, std::uint8_t type, std::uint8_t subtype,
                   std::uint32_t offset, std::uint32_t size, const std::string& label) {
  b[at] = 0xAA;
  b[at + 1] = 0x50;
  b[at + 2] = type;
  b[at + 3] = subtype;
  put32(b, at + 4, offset);
  put32(b, at + 8, size);
  std::fill_n(b.begin() + static_cast<std::ptrdiff_t>(at + 12), 16, 0);
  put_text(b, at + 12, 16, label);
  put32(b, at + 28, 0);
}

// The two_ota layout used by Arduino's default.csv, with its MD5 entry.
Bytes partition_table() {
  Bytes t(0xC00, 0xFF);
  put_partition(t, 0, 0x01, 0x02, 0x9000, 0x5000, "nvs");
  put_partition(t, 32, 0x01, 0x00, 0xE000, 0x2000, "otadata");
  put_partition(t, 64, 0x00, 0x10, 0x10000, 0x140000, "app0");
  put_partition(t, 96, 0x00, 0x11, 0x150000, 0x140000, "app1");
  put_partition(t, 128, 0x01, 0x82, 0x290000, 0x160000, "spiffs");
  const std::size_t md5_at = 160;
  t[md5_at] = 0xEB;
  t[md5_at + 1] = 0xEB;
  unsigned int len = 0;
  if (EVP_Digest(t.data(), md5_at, &t[md5_at + 16], &len, EVP_md5(), nullptr) != 1) {
    throw std::runtime_error("EVP_Digest(md5) failed");
  }
  return t;
}

}  // namespace

EspImageLayout esp_app_image_layout(const EspImageSpec& spec) {
  EspImageLayout layout;
  layout.segment_lengths = segment_lengths_for(spec);
  std::size_t at = 24;
  for (std::size_t len : layout.segment_lengths) {
    layout.segment_header_offsets.push_back(at);
    at += 8 + len;
  }
  layout.checksum_offset = (at + 1 + 15) / 16 * 16 - 1;
  layout.image_len = layout.checksum_offset + 1 + (spec.hash_appended ? 32 : 0);
  return layout;
}

Bytes build_esp_app_image(const EspImageSpec& spec) {
  const std::vector<std::size_t> lengths = segment_lengths_for(spec);
  Filler filler(spec.seed);
  std::vector<Segment> segments;
  for (std::size_t i = 0; i < lengths.size(); ++i) {
    Segment s{load_addr_for(i), Bytes(lengths[i])};
    std::size_t start = 0;
    if (i == 0) {
      const Bytes desc = app_desc(spec);
      std::copy(desc.begin(), desc.end(), s.data.begin());
      start = desc.size();
    }
    filler.fill(s.data.data() + start, s.data.size() - start);
    segments.push_back(std::move(s));
  }
  Header h;
  h.spi_mode = spec.spi_mode;
  h.spi_speed = spec.spi_speed;
  h.spi_size = spec.spi_size;
  h.entry_addr = spec.entry_addr;
  h.chip_id = spec.chip_id;
  h.min_rev_full = spec.min_chip_rev_full;
  h.max_rev_full = spec.max_chip_rev_full;
  h.hash_appended = spec.hash_appended;
  return assemble_image(h, segments);
}

Bytes append_signed_app_v1_block(Bytes image) {
  image.insert(image.end(), 4, 0);
  append_filler(image, 64, 0x5161);
  return image;
}

Bytes append_secure_boot_v2_sector(Bytes image, bool ecdsa) {
  while (image.size() % 4096 != 0) image.push_back(0xFF);
  const auto digest = sha256(image.data(), image.size());

  Bytes block(1216, 0);
  block[0] = 0xE7;
  block[1] = ecdsa ? 0x03 : 0x02;
  std::copy(digest.begin(), digest.end(), block.begin() + 4);
  Filler filler(ecdsa ? 0xEC : 0x45A);
  if (ecdsa) {
    block[36] = 1;  // curve id: P-256
    filler.fill(&block[40], 64 + 64);  // public point, then r || s
  } else {
    filler.fill(&block[36], 384);   // modulus n
    put32(block, 420, 65537);       // exponent e
    filler.fill(&block[424], 384);  // rinv
    put32(block, 808, filler.next());  // m'
    filler.fill(&block[812], 384);  // signature
  }
  put32(block, 1196, crc32_bitwise(block.data(), 1196));

  image.insert(image.end(), block.begin(), block.end());
  image.resize(image.size() + 4096 - block.size(), 0xFF);
  return image;
}

Bytes build_bootloader_image(std::uint16_t chip_id) {
  Segment text{0x403CE000, Bytes(0x2000)};
  const Bytes desc = bootloader_desc();
  std::copy(desc.begin(), desc.end(), text.data.begin());
  Filler(0xB007).fill(text.data.data() + desc.size(), text.data.size() - desc.size());
  Segment data{0x3FCD0000, Bytes(0x800)};
  Filler(0xB008).fill(data.data.data(), data.data.size());
  Header h;
  h.entry_addr = 0x403CE000;
  h.chip_id = chip_id;
  std::vector<Segment> segments;
  segments.push_back(std::move(text));
  segments.push_back(std::move(data));
  return assemble_image(h, segments);
}

Bytes build_merged_image(std::uint16_t chip_id) {
  Bytes out(bootloader_offset_for(chip_id), 0xFF);
  const Bytes bootloader = build_bootloader_image(chip_id);
  out.insert(out.end(), bootloader.begin(), bootloader.end());
  out.resize(0x8000, 0xFF);
  const Bytes table = partition_table();
  out.insert(out.end(), table.begin(), table.end());
  out.resize(0x10000, 0xFF);
  EspImageSpec spec;
  spec.chip_id = chip_id;
  const Bytes app = build_esp_app_image(spec);
  out.insert(out.end(), app.begin(), app.end());
  return out;
}

Bytes build_delta_patch() {
  Bytes out(64, 0);
  put32(out, 0, 0xfccdde10);
  const Bytes base = build_esp_app_image(EspImageSpec{});
  std::copy(base.end() - 32, base.end(), out.begin() + 4);
  out.push_back(0x04);                   // sequential patch, heatshrink
  out.push_back(0x80 | 0x3F);            // to_size varint: low 6 bits, continue
  out.push_back(0x7F);                   // next 7 bits
  out.push_back(0x44);                   // heatshrink window 8, lookahead 7
  append_filler(out, 512, 0xDE17A);
  return out;
}

Bytes build_encrypted_image() {
  Bytes out(512, 0);
  put32(out, 0, 0x0788b6cf);
  Filler filler(0xE4C);
  filler.fill(&out[4], 384);  // RSA-wrapped GCM key
  filler.fill(&out[388], 16);  // IV
  put32(out, 404, 4096);       // plaintext length
  filler.fill(&out[408], 16);  // auth tag
  append_filler(out, 4096, 0xC1F);
  return out;
}

}  // namespace apiota::testing
