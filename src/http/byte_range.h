#pragma once

// Decides how to answer a download request that may carry a `Range` header
// (RFC 9110 §14), for a single file of known size.
//
// Only one `bytes` range is ever served. A header that is absent, invalid or
// asks for several ranges yields RangeOutcome::Full: RFC 9110 lets a server
// ignore any Range header, and we do not produce multipart/byteranges. A
// valid single range yields Partial with the inclusive byte span to send; a
// last-byte position at or past the end of the file is clamped to the last
// byte, because ESP-IDF asks for "bytes=S-<file size>" and must get a 206. A
// range whose first byte is at or past the end (every range, for an empty
// file) and a zero-length suffix range yield Unsatisfiable (416).
//
// decide_range() fills RangeDecision::range only for Partial; otherwise it is
// zero. The content_range_value() helpers format the matching
// `Content-Range` header values. All functions are pure and thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace apiota::http {

struct ByteRange {
  std::uint64_t first;
  std::uint64_t last;  // inclusive
};

enum class RangeOutcome {
  Full,           // serve 200 with the whole file
  Partial,        // serve 206 with `range`
  Unsatisfiable,  // serve 416 with unsatisfied_content_range_value()
};

struct RangeDecision {
  RangeOutcome outcome;
  ByteRange range{};
};

// `range_header` is the raw header value, or nullopt when the request has
// no Range header.
RangeDecision decide_range(std::optional<std::string_view> range_header, std::uint64_t file_size);

// "bytes <first>-<last>/<file_size>", for a 206 response.
std::string content_range_value(const ByteRange& range, std::uint64_t file_size);

// "bytes */<file_size>", for a 416 response.
std::string unsatisfied_content_range_value(std::uint64_t file_size);

}  // namespace apiota::http
