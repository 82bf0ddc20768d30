#include "http/byte_range.h"

#include <charconv>
#include <system_error>

#include "api/header_text.h"

namespace apiota::http {

namespace {

using api::iequals;
using api::trim_ows;

// One or more ASCII digits that fit in 64 bits. A number too large to be
// a real position makes the whole header invalid rather than clamped.
std::optional<std::uint64_t> parse_position(std::string_view digits) {
  if (digits.empty()) return std::nullopt;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc{} || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

constexpr RangeDecision kFull{RangeOutcome::Full};
constexpr RangeDecision kUnsatisfiable{RangeOutcome::Unsatisfiable};

}  // namespace

RangeDecision decide_range(std::optional<std::string_view> range_header, std::uint64_t file_size) {
  if (!range_header) return kFull;
  const std::string_view value = trim_ows(*range_header);

  const std::size_t eq = value.find('=');
  if (eq == std::string_view::npos || !iequals(value.substr(0, eq), "bytes")) return kFull;
  const std::string_view spec = value.substr(eq + 1);
  if (spec.find(',') != std::string_view::npos) return kFull;

  const std::size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return kFull;
  const std::string_view first_text = spec.substr(0, dash);
  const std::string_view last_text = spec.substr(dash + 1);

  if (first_text.empty()) {
    const std::optional<std::uint64_t> suffix = parse_position(last_text);
    if (!suffix) return kFull;
    if (*suffix == 0 || file_size == 0) return kUnsatisfiable;
    const std::uint64_t length = *suffix < file_size ? *suffix : file_size;
    return {RangeOutcome::Partial, {file_size - length, file_size - 1}};
  }

  const std::optional<std::uint64_t> first = parse_position(first_text);
  if (!first) return kFull;
  std::uint64_t last = UINT64_MAX;
  if (!last_text.empty()) {
    const std::optional<std::uint64_t> parsed = parse_position(last_text);
    if (!parsed || *parsed < *first) return kFull;
    last = *parsed;
  }
  if (*first >= file_size) return kUnsatisfiable;
  return {RangeOutcome::Partial, {*first, last < file_size ? last : file_size - 1}};
}

std::string content_range_value(const ByteRange& range, std::uint64_t file_size) {
  return "bytes " + std::to_string(range.first) + "-" + std::to_string(range.last) + "/" + std::to_string(file_size);
}

std::string unsatisfied_content_range_value(std::uint64_t file_size) {
  return "bytes */" + std::to_string(file_size);
}

}  // namespace apiota::http
