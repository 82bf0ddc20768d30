#pragma once
// Test support: POST /api/firmware/upload spelled out byte by byte
// (multipart/form-data with a fixed boundary), for tests that send an upload
// over a RawConnection: in pieces, slowly, chunked, or with Expect: 100-continue.
//
// Pure string building: nothing is sent, nothing fails, every result is a new
// string the caller owns. Parts are in the order the caller concatenates them;
// the image bytes go right after multipart_file_head() and before
// multipart_closing().

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace apiota::testing {

inline constexpr const char* kUploadBoundary = "----apiotaTestBoundary7MA4YWxkTrZu0gW";

// A form field part: name="NAME", value VALUE.
std::string multipart_field(const std::string& name, const std::string& value);
// The head of the "file" part (filename firmware.bin, application/octet-stream).
std::string multipart_file_head();
// The line break ending the file and the closing boundary.
std::string multipart_closing();

// The request line and headers up to Content-Type, authorised with `admin_key`;
// `rest` supplies the remaining header lines (length or encoding) and the blank line.
std::string upload_request_head(const std::string& admin_key, const std::string& rest);

struct UploadRequest {
  std::string bytes;          // head and body
  std::size_t head_size = 0;  // where the body starts
};

// A complete upload of `image` as `version` on `channel` with its Content-Length.
UploadRequest upload_request(const std::string& admin_key, const std::vector<std::uint8_t>& image,
                             const std::string& version, const std::string& channel = "stable");

}  // namespace apiota::testing
