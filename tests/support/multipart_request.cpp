#include "support/multipart_request.h"

namespace apiota::testing {

std::string multipart_field(const std::string& name, const std::string& value) {
  return std::string("--") + kUploadBoundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" +
         value + "\r\n";
}

std::string multipart_file_head() {
  return std::string("--") + kUploadBoundary +
         "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"firmware.bin\"\r\n"
         "Content-Type: application/octet-stream\r\n\r\n";
}

std::string multipart_closing() { return std::string("\r\n--") + kUploadBoundary + "--\r\n"; }

std::string upload_request_head(const std::string& admin_key, const std::string& rest) {
  return "POST /api/firmware/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + admin_key +
         "\r\nContent-Type: multipart/form-data; boundary=" + kUploadBoundary + "\r\n" + rest;
}

UploadRequest upload_request(const std::string& admin_key, const std::vector<std::uint8_t>& image,
                             const std::string& version, const std::string& channel) {
  std::string body = multipart_field("version", version) + multipart_field("channel", channel) + multipart_file_head();
  body.append(image.begin(), image.end());
  body += multipart_closing();
  UploadRequest request;
  request.bytes = upload_request_head(admin_key, "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n");
  request.head_size = request.bytes.size();
  request.bytes += body;
  return request;
}

}  // namespace apiota::testing
