#include "http/redact.h"

#include <algorithm>
#include <array>

namespace apiota::http {
namespace {

constexpr std::string_view kRedacted = "REDACTED";
constexpr std::string_view kKeyPrefix = "pk_";
constexpr std::string_view kKeyMarker = "pk_REDACTED";
// "pk_key", the name of the provisioning-key parameter, stays readable.
constexpr std::size_t kMinKeyTail = 4;

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// One character of `s` at `i` as the server reads it: a valid %XX escape is
// the byte it encodes (three raw characters), anything else stands for itself.
struct Decoded {
  char c;
  std::size_t width;
};

Decoded decode_at(std::string_view s, std::size_t i) {
  if (s[i] == '%' && i + 2 < s.size()) {
    int hi = hex_digit(s[i + 1]);
    int lo = hex_digit(s[i + 2]);
    if (hi >= 0 && lo >= 0) return {static_cast<char>(hi * 16 + lo), 3};
  }
  return {s[i], 1};
}

// `name` is decoded and lowercase.
bool is_sensitive_name(std::string_view name) {
  if (name == "sig") return true;
  constexpr std::array<std::string_view, 5> kWords = {"secret", "key", "token", "password", "auth"};
  return std::any_of(kWords.begin(), kWords.end(),
                     [&](std::string_view w) { return name.find(w) != std::string_view::npos; });
}

bool is_sensitive(std::string_view raw_name) {
  // Every request has a few names to check, nearly all short: they are
  // decoded on the stack.
  std::array<char, 64> on_stack;
  std::string on_heap;
  char* name = on_stack.data();
  if (raw_name.size() > on_stack.size()) {
    on_heap.resize(raw_name.size());
    name = on_heap.data();
  }
  std::size_t size = 0;
  for (std::size_t i = 0; i < raw_name.size();) {
    Decoded d = decode_at(raw_name, i);
    name[size++] = lower(d.c);
    i += d.width;
  }
  return is_sensitive_name(std::string_view(name, size));
}

bool is_key_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

// The raw length of the key-shaped run that starts at `i`, or 0.
std::size_t key_run_at(std::string_view s, std::size_t i) {
  std::size_t pos = i;
  for (char want : kKeyPrefix) {
    if (pos >= s.size()) return 0;
    Decoded d = decode_at(s, pos);
    if (lower(d.c) != want) return 0;
    pos += d.width;
  }
  std::size_t tail = 0;
  while (pos < s.size()) {
    Decoded d = decode_at(s, pos);
    if (!is_key_char(d.c)) break;
    pos += d.width;
    ++tail;
  }
  return tail >= kMinKeyTail ? pos - i : 0;
}

constexpr bool is_plain(unsigned char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; }

// Bytes that go out as they are and cannot start a key-shaped run: most of a
// target, copied a run at a time.
constexpr std::array<bool, 256> kCopied = [] {
  std::array<bool, 256> table{};
  for (unsigned c = 0; c < 256; ++c) table[c] = is_plain(static_cast<unsigned char>(c)) && c != 'p' && c != 'P' && c != '%';
  return table;
}();

// Appends `s` with key-shaped runs replaced and unsafe bytes escaped. A key
// run cannot span a raw '?', '&' or '=', so the target is done piece by piece.
void append_escaped(std::string& out, std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t start = i;
    while (i < s.size() && kCopied[static_cast<unsigned char>(s[i])]) ++i;
    out.append(s.substr(start, i - start));
    if (i == s.size()) break;
    if (std::size_t run = key_run_at(s, i)) {
      out.append(kKeyMarker);
      i += run;
      continue;
    }
    auto c = static_cast<unsigned char>(s[i++]);
    if (is_plain(c)) {
      out.push_back(static_cast<char>(c));
    } else {
      constexpr std::string_view kHex = "0123456789ABCDEF";
      out.append("\\x").push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    }
  }
}

}  // namespace

void append_redacted_target(std::string& out, std::string_view target) {
  auto q = target.find('?');
  append_escaped(out, target.substr(0, q));
  if (q == std::string_view::npos) return;
  out.push_back('?');
  std::string_view query = target.substr(q + 1);
  while (true) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    auto eq = pair.find('=');
    if (eq != std::string_view::npos && is_sensitive(pair.substr(0, eq))) {
      append_escaped(out, pair.substr(0, eq));
      out.push_back('=');
      out.append(kRedacted);
    } else {
      append_escaped(out, pair);
    }
    if (amp == std::string_view::npos) break;
    out.push_back('&');
    query.remove_prefix(amp + 1);
  }
}

std::string redact_target(std::string_view target) {
  std::string out;
  out.reserve(target.size());
  append_redacted_target(out, target);
  return out;
}

}  // namespace apiota::http
