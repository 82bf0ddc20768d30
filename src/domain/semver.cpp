#include "domain/semver.h"

#include <algorithm>
#include <charconv>
#include <system_error>

namespace apiota::domain {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_identifier_char(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

bool is_numeric(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), is_digit);
}

bool is_identifier(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), is_identifier_char);
}

// Splits on every '.', keeping empty pieces so callers can reject them.
std::vector<std::string_view> split_dots(std::string_view s) {
  std::vector<std::string_view> parts;
  for (;;) {
    const std::size_t dot = s.find('.');
    parts.push_back(s.substr(0, dot));
    if (dot == std::string_view::npos) return parts;
    s.remove_prefix(dot + 1);
  }
}

std::optional<std::uint64_t> parse_number(std::string_view s) {
  if (!is_numeric(s) || (s.size() > 1 && s.front() == '0')) return std::nullopt;
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return value;
}

std::optional<SemVer> parse(std::string_view text, std::size_t min_core_parts) {
  if (text.size() > kMaxSemVerLength) return std::nullopt;
  if (!text.empty() && (text.front() == 'v' || text.front() == 'V')) text.remove_prefix(1);

  SemVer v;
  if (const std::size_t plus = text.find('+'); plus != std::string_view::npos) {
    const std::string_view build = text.substr(plus + 1);
    for (const std::string_view id : split_dots(build)) {
      if (!is_identifier(id)) return std::nullopt;
    }
    v.build = build;
    text = text.substr(0, plus);
  }
  // The core has no '-', so the first one starts the pre-release; later ones
  // are part of its identifiers.
  if (const std::size_t dash = text.find('-'); dash != std::string_view::npos) {
    for (const std::string_view id : split_dots(text.substr(dash + 1))) {
      if (!is_identifier(id)) return std::nullopt;
      if (is_numeric(id) && id.size() > 1 && id.front() == '0') return std::nullopt;
      v.prerelease.emplace_back(id);
    }
    text = text.substr(0, dash);
  }

  const std::vector<std::string_view> core = split_dots(text);
  if (core.size() < min_core_parts || core.size() > 3) return std::nullopt;
  std::uint64_t* const fields[] = {&v.major, &v.minor, &v.patch};
  for (std::size_t i = 0; i < core.size(); ++i) {
    const std::optional<std::uint64_t> n = parse_number(core[i]);
    if (!n) return std::nullopt;
    *fields[i] = *n;
  }
  return v;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

int three_way(auto a, auto b) { return a < b ? -1 : (a > b ? 1 : 0); }

// Numeric identifiers may exceed 64 bits, so compare them as digit strings.
// Leading zeros are skipped because a SemVer can be built without parsing.
int compare_numeric(std::string_view a, std::string_view b) {
  a.remove_prefix(std::min(a.find_first_not_of('0'), a.size()));
  b.remove_prefix(std::min(b.find_first_not_of('0'), b.size()));
  if (a.size() != b.size()) return three_way(a.size(), b.size());
  return three_way(a.compare(b), 0);
}

int compare_identifier(std::string_view a, std::string_view b) {
  const bool a_numeric = is_numeric(a);
  const bool b_numeric = is_numeric(b);
  if (a_numeric && b_numeric) return compare_numeric(a, b);
  if (a_numeric != b_numeric) return a_numeric ? -1 : 1;
  return three_way(a.compare(b), 0);
}

}  // namespace

std::string SemVer::to_string() const {
  std::string out = std::to_string(major) + '.' + std::to_string(minor) + '.' + std::to_string(patch);
  for (std::size_t i = 0; i < prerelease.size(); ++i) {
    out += i == 0 ? '-' : '.';
    out += prerelease[i];
  }
  if (!build.empty()) {
    out += '+';
    out += build;
  }
  return out;
}

std::optional<SemVer> parse_semver(std::string_view text) { return parse(text, 3); }

std::optional<SemVer> parse_reported_version(std::string_view text) { return parse(trim(text), 1); }

int compare(const SemVer& a, const SemVer& b) {
  if (a.major != b.major) return three_way(a.major, b.major);
  if (a.minor != b.minor) return three_way(a.minor, b.minor);
  if (a.patch != b.patch) return three_way(a.patch, b.patch);
  if (a.prerelease.empty() || b.prerelease.empty()) {
    return three_way(a.prerelease.empty(), b.prerelease.empty());
  }
  const std::size_t shared = std::min(a.prerelease.size(), b.prerelease.size());
  for (std::size_t i = 0; i < shared; ++i) {
    if (const int c = compare_identifier(a.prerelease[i], b.prerelease[i]); c != 0) return c;
  }
  return three_way(a.prerelease.size(), b.prerelease.size());
}

bool same_precedence(const SemVer& a, const SemVer& b) { return compare(a, b) == 0; }

}  // namespace apiota::domain
