#include "api/admin/device_cursor.h"

#include <array>
#include <charconv>
#include <vector>

#include "api/error_response.h"
#include "domain/identifiers.h"
#include "domain/printable.h"

namespace apiota::api::admin {
namespace {

constexpr std::string_view kVersion = "v1";
constexpr char kSeparator = '~';
constexpr std::size_t kMaxKeyBytes = 64;

constexpr std::array<std::pair<store::DeviceSort, std::string_view>, 4> kSorts{{
    {store::DeviceSort::DeviceId, "device_id"},
    {store::DeviceSort::LastSeenAt, "last_seen_at"},
    {store::DeviceSort::RegisteredAt, "registered_at"},
    {store::DeviceSort::FirmwareVersion, "firmware_version"},
}};

std::string_view order_name(bool descending) { return descending ? "desc" : "asc"; }

std::vector<std::string_view> split(std::string_view text) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const auto end = text.find(kSeparator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

ApiError bad_cursor(const std::string& why) { return ApiError(ErrorCode::InvalidParameter, "cursor " + why); }

}  // namespace

std::string_view sort_name(store::DeviceSort sort) {
  for (const auto& [value, name] : kSorts) {
    if (value == sort) return name;
  }
  return kSorts.front().second;
}

std::optional<store::DeviceSort> parse_sort(std::string_view name) {
  for (const auto& [value, known] : kSorts) {
    if (known == name) return value;
  }
  return std::nullopt;
}

std::string encode_cursor(store::DeviceSort sort, bool descending, const store::DevicePosition& position) {
  std::string key;
  if (position.number) key = std::to_string(*position.number);
  if (position.text) key = *position.text;
  std::string out(kVersion);
  for (std::string_view part :
       {sort_name(sort), order_name(descending), std::string_view(key), std::string_view(position.device_id)}) {
    out += kSeparator;
    out += part;
  }
  return out;
}

store::DevicePosition decode_cursor(std::string_view text, store::DeviceSort sort, bool descending) {
  const auto parts = split(text);
  if (parts.size() != 5 || parts[0] != kVersion || !parse_sort(parts[1]) || (parts[2] != "asc" && parts[2] != "desc")) {
    throw bad_cursor("is not one this server gave (pass next_cursor back unchanged)");
  }
  if (parts[1] != sort_name(sort) || parts[2] != order_name(descending)) {
    throw bad_cursor("was made for sort=" + std::string(parts[1]) + "&order=" + std::string(parts[2]) +
                     ": use it with the same sort and order");
  }
  store::DevicePosition position;
  const std::string_view key = parts[3];
  if (!domain::is_valid_device_id(parts[4]) || key.size() > kMaxKeyBytes || domain::printable(key) != key) {
    throw bad_cursor("is not one this server gave (pass next_cursor back unchanged)");
  }
  position.device_id = std::string(parts[4]);
  if (key.empty()) return position;
  if (sort == store::DeviceSort::FirmwareVersion) {
    position.text = std::string(key);
  } else if (sort != store::DeviceSort::DeviceId) {
    std::int64_t number = 0;
    auto [ptr, ec] = std::from_chars(key.data(), key.data() + key.size(), number);
    if (ec != std::errc() || ptr != key.data() + key.size()) {
      throw bad_cursor("is not one this server gave (pass next_cursor back unchanged)");
    }
    position.number = number;
  }
  return position;
}

}  // namespace apiota::api::admin
