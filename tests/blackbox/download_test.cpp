// GET/HEAD /api/firmware/{filename} against the real binary, as real ESP32
// clients use it: exact headers (Content-Length, x-MD5, ETag, Accept-Ranges,
// no chunking or compression), byte ranges including the ESP-IDF edge cases
// and 416, conditional GET, an Arduino-style HTTP/1.0 request, names that try
// to escape the storage folder, and who may download (signed URL, device
// credentials, admin keys, blocked devices, public mode).

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "support/digests.h"
#include "support/esp_image_builder.h"
#include "support/http_checks.h"
#include "support/raw_connection.h"
#include "support/server_process.h"

namespace apiota::testing {
namespace {

constexpr const char* kSecret = "download-secret-012345";

// One request on a fresh connection that the server is asked to close.
RawResponse raw_request(std::uint16_t port, const std::string& target, const std::string& extra_headers = "",
                const std::string& method = "GET") {
  std::string request =
      method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra_headers + "Connection: close\r\n\r\n";
  return parse_raw_response(raw_exchange(port, request));
}

std::string error_code_of(const RawResponse& r) {
  boost::system::error_code ec;
  auto value = boost::json::parse(r.body, ec);
  if (ec || !value.is_object() || !value.as_object().contains("error")) return "<no error field: " + r.body + ">";
  return std::string(value.at("error").as_string());
}

std::string url_path(const ServerProcess& server, const std::string& url) {
  EXPECT_TRUE(url.starts_with(server.base_url())) << url;
  return url.substr(server.base_url().size());
}

std::string replace_param(std::string target, const std::string& name, const std::string& value) {
  auto at = target.find(name + "=");
  if (at == std::string::npos) return target;
  auto end = target.find('&', at);
  return target.replace(at + name.size() + 1, (end == std::string::npos ? target.size() : end) - at - name.size() - 1,
                        value);
}

class Download : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(register_device(client_, "dl-dev", kSecret, server_.admin_key()), 200);
    EspImageSpec spec;
    spec.version = "1.1.0";
    spec.payload_bytes = 150001;
    auto bytes = build_esp_app_image(spec);
    image_.assign(bytes.begin(), bytes.end());
    size_ = image_.size();
    auto up = upload_firmware(client_, server_.admin_key(), bytes, "1.1.0");
    ASSERT_TRUE(up);
    ASSERT_EQ(up->status, 200) << up->body;
    target_ = signed_target("dl-dev");
    ASSERT_TRUE(target_.starts_with("/api/firmware/fw-1.1.0-stable.bin?")) << target_;
  }

  // The download path check-update hands `device_id` (which must be at 1.0.0).
  std::string signed_target(const std::string& device_id) {
    auto res = client_.Get(check_update_path(device_id, "1.0.0", kSecret));
    if (!res || res->status != 200) {
      ADD_FAILURE() << (res ? res->body : "no response");
      return {};
    }
    return url_path(server_, std::string(json_of(res->body).at("url").as_string()));
  }

  RawResponse get(const std::string& target, const std::string& extra_headers = "") {
    return raw_request(server_.port(), target, extra_headers);
  }
  RawResponse ranged(const std::string& range) { return get(target_, "Range: " + range + "\r\n"); }

  void expect_partial(const std::string& range, std::size_t first, std::size_t last) {
    SCOPED_TRACE(range);
    RawResponse r = ranged(range);
    ASSERT_EQ(r.status, 206) << r.status_line;
    EXPECT_EQ(r.header("Content-Range"),
              "bytes " + std::to_string(first) + "-" + std::to_string(last) + "/" + std::to_string(size_));
    EXPECT_EQ(r.header("Content-Length"), std::to_string(last - first + 1));
    EXPECT_FALSE(r.has_header("Transfer-Encoding"));
    EXPECT_EQ(r.body.size(), last - first + 1);
    EXPECT_TRUE(r.body == image_.substr(first, last - first + 1)) << "wrong bytes";
  }

  void expect_unsatisfiable(const std::string& range) {
    SCOPED_TRACE(range);
    RawResponse r = ranged(range);
    EXPECT_EQ(r.status, 416) << r.status_line;
    EXPECT_EQ(r.header("Content-Range"), "bytes */" + std::to_string(size_));
  }

  ServerProcess server_;
  httplib::Client client_ = server_.client();
  std::string image_;
  std::size_t size_ = 0;
  std::string target_;
};

TEST_F(Download, FullGetHasExactHeaders) {
  RawResponse r = get(target_, "Accept-Encoding: gzip, deflate, br\r\nUser-Agent: ESP32 HTTP Client/1.0\r\n");
  ASSERT_TRUE(r.complete);
  ASSERT_EQ(r.status, 200) << r.status_line;
  EXPECT_EQ(r.header("Content-Length"), std::to_string(size_));
  EXPECT_EQ(r.header("Content-Type"), "application/octet-stream");
  EXPECT_FALSE(r.has_header("Transfer-Encoding"));
  EXPECT_FALSE(r.has_header("Content-Encoding"));
  EXPECT_EQ(r.header("Accept-Ranges"), "bytes");
  const std::string md5 = r.header("x-MD5");
  EXPECT_EQ(md5, md5_hex(image_));
  EXPECT_EQ(md5.size(), 32u);
  EXPECT_EQ(md5.find_first_not_of("0123456789abcdef"), std::string::npos) << md5;
  EXPECT_EQ(r.header("ETag"), "\"" + sha256_hex(image_) + "\"");
  EXPECT_EQ(r.body.size(), size_);
  EXPECT_TRUE(r.body == image_) << "body differs from the uploaded image";
  EXPECT_EQ(static_cast<unsigned char>(r.body[0]), 0xE9);
}

TEST_F(Download, HeadHasTheSameHeadersAndNoBody) {
  RawResponse full = get(target_);
  RawResponse head = raw_request(server_.port(), target_, "", "HEAD");
  ASSERT_TRUE(head.complete);
  ASSERT_EQ(head.status, 200) << head.status_line;
  EXPECT_TRUE(head.body.empty()) << head.body.size() << " body bytes after HEAD";
  for (const char* name : {"Content-Length", "Content-Type", "ETag", "x-MD5", "Accept-Ranges"}) {
    EXPECT_EQ(head.header(name), full.header(name)) << name;
    EXPECT_FALSE(head.header(name).empty()) << name;
  }
  EXPECT_EQ(head.header("Content-Length"), std::to_string(size_));
  EXPECT_FALSE(head.has_header("Transfer-Encoding"));
}

TEST_F(Download, RangesAreAnsweredWith206) {
  expect_partial("bytes=0-0", 0, 0);
  expect_partial("bytes=10-", 10, size_ - 1);
  expect_partial("bytes=-100", size_ - 100, size_ - 1);
  expect_partial("bytes=1000-1999", 1000, 1999);
  expect_partial("bytes=0-" + std::to_string(size_ - 1), 0, size_ - 1);
  expect_partial("bytes=100-" + std::to_string(size_ + 5000), 100, size_ - 1);  // clamped
  expect_partial("bytes=" + std::to_string(size_ - 10) + "-" + std::to_string(size_), size_ - 10,
                 size_ - 1);  // ESP-IDF: range_end == image length
  expect_partial("bytes=" + std::to_string(size_ - 1) + "-", size_ - 1, size_ - 1);
  expect_partial("bytes=-" + std::to_string(size_ + 10), 0, size_ - 1);  // suffix longer than the file
  expect_unsatisfiable("bytes=" + std::to_string(size_) + "-");
  expect_unsatisfiable("bytes=" + std::to_string(size_) + "-" + std::to_string(size_ + 10));
  expect_unsatisfiable("bytes=" + std::to_string(size_ + 5) + "-" + std::to_string(size_ + 10));
  expect_unsatisfiable("bytes=" + std::to_string(size_ + 5) + "-");
}

TEST_F(Download, RangedHeadAndPartialDownloadReassemble) {
  // ESP-IDF partial_http_download: HEAD, then 64 KiB ranges, the last open-ended.
  RawResponse head = raw_request(server_.port(), target_, "Range: bytes=0-0\r\n", "HEAD");
  EXPECT_EQ(head.status, 206) << head.status_line;
  EXPECT_EQ(head.header("Content-Range"), "bytes 0-0/" + std::to_string(size_));
  EXPECT_TRUE(head.body.empty());

  std::string assembled;
  const std::size_t chunk = 64 * 1024;
  for (std::size_t start = 0; start < size_; start += chunk) {
    std::string range = start + chunk >= size_
                            ? "bytes=" + std::to_string(start) + "-"
                            : "bytes=" + std::to_string(start) + "-" + std::to_string(start + chunk - 1);
    RawResponse part = ranged(range);
    ASSERT_EQ(part.status, 206) << range;
    assembled += part.body;
  }
  EXPECT_EQ(assembled.size(), size_);
  EXPECT_TRUE(assembled == image_);
}

TEST_F(Download, IfNoneMatchGives304) {
  const std::string etag = "\"" + sha256_hex(image_) + "\"";
  RawResponse r = get(target_, "If-None-Match: " + etag + "\r\n");
  EXPECT_EQ(r.status, 304) << r.status_line;
  EXPECT_TRUE(r.body.empty()) << r.body.size();
  EXPECT_EQ(r.header("ETag"), etag);
  RawResponse other = get(target_, "If-None-Match: \"deadbeef\"\r\n");
  EXPECT_EQ(other.status, 200);
  EXPECT_EQ(other.body.size(), size_);
}

TEST_F(Download, ArduinoHttp10RequestGetsWholeFileAndClose) {
  std::string request = "GET " + target_ +
                        " HTTP/1.0\r\n"
                        "Host: 127.0.0.1:" +
                        std::to_string(server_.port()) +
                        "\r\n"
                        "User-Agent: ESP32-http-Update\r\n"
                        "Connection: close\r\n"
                        "Cache-Control: no-cache\r\n"
                        "x-ESP32-STA-MAC: AA:BB:CC:DD:EE:FF\r\n"
                        "x-ESP32-AP-MAC: AA:BB:CC:DD:EE:F0\r\n"
                        "x-ESP32-free-space: 1310720\r\n"
                        "x-ESP32-sketch-size: 901232\r\n"
                        "x-ESP32-sketch-md5: 0123456789abcdef0123456789abcdef\r\n"
                        "x-ESP32-chip-size: 4194304\r\n"
                        "x-ESP32-sdk-version: v4.4.7\r\n"
                        "x-ESP32-mode: sketch\r\n"
                        "x-ESP32-version: 1.0.0\r\n"
                        "\r\n";
  auto started = std::chrono::steady_clock::now();
  RawResponse r = parse_raw_response(raw_exchange(server_.port(), request, std::chrono::seconds(8)));
  auto elapsed = std::chrono::steady_clock::now() - started;
  ASSERT_EQ(r.status, 200) << r.status_line;
  EXPECT_TRUE(r.status_line.starts_with("HTTP/1.")) << r.status_line;
  EXPECT_EQ(r.header("Content-Length"), std::to_string(size_));
  EXPECT_FALSE(r.has_header("Transfer-Encoding"));
  EXPECT_EQ(r.header("x-MD5"), md5_hex(image_));
  EXPECT_TRUE(r.body == image_);
  EXPECT_LT(elapsed, std::chrono::seconds(4)) << "the server did not close the HTTP/1.0 connection";

  // Without "Connection: close" an HTTP/1.0 request is still not kept alive.
  std::string bare = "GET " + target_ + " HTTP/1.0\r\nUser-Agent: ESP32-http-Update\r\n\r\n";
  started = std::chrono::steady_clock::now();
  RawResponse plain = parse_raw_response(raw_exchange(server_.port(), bare, std::chrono::seconds(8)));
  elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(plain.status, 200) << plain.status_line;
  EXPECT_EQ(plain.body.size(), size_);
  EXPECT_LT(elapsed, std::chrono::seconds(4)) << "the server kept an HTTP/1.0 connection open";
}

TEST_F(Download, NamesThatEscapeTheFolderAreNotFound) {
  const std::string sha = sha256_hex(image_);
  const std::string auth = "Authorization: Bearer " + server_.admin_key() + "\r\n";
  for (const std::string& target :
       {std::string("/api/firmware/../../etc/passwd"), std::string("/api/firmware/..%2f..%2fetc%2fpasswd"),
        std::string("/api/firmware/%2e%2e%2fapiota.db"), std::string("/api/firmware/..%2fapiota.db"),
        std::string("/api/firmware/%2e%2e"), "/api/firmware/" + sha, "/api/firmware/" + sha + ".bin",
        std::string("/api/firmware/firmware%2f") + sha + ".bin", std::string("/api/firmware/apiota.db")}) {
    RawResponse r = get(target, auth);
    EXPECT_EQ(r.status, 404) << target << ": " << r.status_line << " " << r.body;
    EXPECT_NE(r.body.find("\"error\""), std::string::npos) << target;
    EXPECT_NE(static_cast<unsigned char>(r.body.empty() ? 0 : r.body[0]), 0xE9) << target;
  }
  RawResponse unknown = get("/api/firmware/fw-9.9.9-stable.bin", auth);
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(error_code_of(unknown), "FIRMWARE_NOT_FOUND");
  RawResponse unknown_signed = get("/api/firmware/fw-1.1.1-stable.bin" + target_.substr(target_.find('?')));
  EXPECT_EQ(unknown_signed.status, 404);
  EXPECT_EQ(error_code_of(unknown_signed), "FIRMWARE_NOT_FOUND");
}

TEST_F(Download, TokensAreChecked) {
  const std::string bare_path = target_.substr(0, target_.find('?'));
  RawResponse none = get(bare_path);
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(error_code_of(none), "UNAUTHORIZED");

  // Tampered signature.
  std::string sig = target_.substr(target_.find("sig=") + 4);
  sig = sig.substr(0, sig.find('&'));
  std::string flipped = sig;
  flipped[0] = flipped[0] == '0' ? '1' : '0';
  RawResponse tampered = get(replace_param(target_, "sig", flipped));
  EXPECT_EQ(tampered.status, 403);
  EXPECT_EQ(error_code_of(tampered), "FORBIDDEN");
  RawResponse no_sig = get(replace_param(target_, "sig", ""));
  EXPECT_EQ(no_sig.status, 403) << no_sig.body;

  // Another device's id with this device's signature.
  ASSERT_EQ(register_device(client_, "dl-other", kSecret, server_.admin_key()), 200);
  RawResponse swapped = get(replace_param(target_, "d", "dl-other"));
  EXPECT_EQ(swapped.status, 403);
  EXPECT_EQ(error_code_of(swapped), "FORBIDDEN");
  // The other device's own token works.
  RawResponse own = get(signed_target("dl-other"));
  EXPECT_EQ(own.status, 200);
  EXPECT_EQ(own.body.size(), size_);

  // Expired (or re-dated) tokens.
  RawResponse expired = get(replace_param(target_, "exp", "1700000000"));
  EXPECT_EQ(expired.status, 403);
  EXPECT_EQ(error_code_of(expired), "FORBIDDEN");
  std::string exp = target_.substr(target_.find("exp=") + 4);
  exp = exp.substr(0, exp.find('&'));
  RawResponse redated = get(replace_param(target_, "exp", std::to_string(std::stoll(exp) + 3600)));
  EXPECT_EQ(redated.status, 403);
  RawResponse garbage_exp = get(replace_param(target_, "exp", "soon"));
  EXPECT_EQ(garbage_exp.status, 403);

  // A token for one file does not open another.
  EspImageSpec spec;
  spec.version = "1.2.0";
  auto second = upload_firmware(client_, server_.admin_key(), build_esp_app_image(spec), "1.2.0");
  ASSERT_TRUE(second);
  ASSERT_EQ(second->status, 200);
  std::string moved = target_;
  moved.replace(0, moved.find('?'), "/api/firmware/fw-1.2.0-stable.bin");
  RawResponse other_file = get(moved);
  EXPECT_EQ(other_file.status, 403);
}

TEST_F(Download, DeviceCredentialsAndAdminKeysWork) {
  const std::string bare_path = target_.substr(0, target_.find('?'));
  RawResponse creds = get(bare_path + "?device_id=dl-dev&device_secret=" + kSecret);
  EXPECT_EQ(creds.status, 200) << creds.body;
  EXPECT_TRUE(creds.body == image_);
  RawResponse header_creds = get(bare_path, std::string("X-Device-Id: dl-dev\r\nX-Device-Secret: ") + kSecret + "\r\n");
  EXPECT_EQ(header_creds.status, 200) << header_creds.body;
  RawResponse wrong = get(bare_path + "?device_id=dl-dev&device_secret=wrong-secret-0123456789");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(error_code_of(wrong), "INVALID_SECRET");

  RawResponse admin = get(bare_path, "Authorization: Bearer " + server_.admin_key() + "\r\n");
  EXPECT_EQ(admin.status, 200);
  EXPECT_EQ(admin.body.size(), size_);
  RawResponse bad_admin = get(bare_path, "Authorization: Bearer pk_live_notakey000000\r\n");
  EXPECT_EQ(bad_admin.status, 401);

  // Project B: its admin key and its devices cannot fetch project A's files.
  ASSERT_EQ(server_.cli({"projects", "create", "b"}).exit_code, 0);
  auto key_out = server_.cli({"keys", "create", "--role", "admin", "--project", "b"});
  ASSERT_EQ(key_out.exit_code, 0) << key_out.out;
  const std::string key_b = last_line(key_out.out);
  RawResponse cross_admin = get(bare_path, "Authorization: Bearer " + key_b + "\r\n");
  EXPECT_EQ(cross_admin.status, 403);
  EXPECT_EQ(error_code_of(cross_admin), "FORBIDDEN");
  ASSERT_EQ(register_device(client_, "b-dev", kSecret, key_b), 200);
  RawResponse cross_device = get(bare_path + "?device_id=b-dev&device_secret=" + kSecret);
  EXPECT_GE(cross_device.status, 403) << cross_device.body;
  EXPECT_LE(cross_device.status, 404) << cross_device.body;
  EXPECT_TRUE(cross_device.body.empty() || static_cast<unsigned char>(cross_device.body[0]) != 0xE9);
}

TEST_F(Download, BlockedDevicesTokenIsRefused) {
  auto block = client_.Post("/api/admin/devices/dl-dev/block", bearer(server_.admin_key()), "", "application/json");
  ASSERT_TRUE(block);
  ASSERT_EQ(block->status, 200);
  RawResponse r = get(target_);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(error_code_of(r), "DEVICE_BLOCKED");
  auto unblock = client_.Post("/api/admin/devices/dl-dev/unblock", bearer(server_.admin_key()), "", "application/json");
  ASSERT_TRUE(unblock);
  EXPECT_EQ(get(target_).status, 200);
}

TEST(DownloadPublic, PublicModeNeedsNoToken) {
  ServerProcess server(
      ServerSetup{.extra_args = {"--rate-limit", "off"}, .config_toml = "download_auth = \"public\"\n"});
  auto client = server.client();
  ASSERT_EQ(register_device(client, "pub-dev", kSecret, server.admin_key()), 200);
  EspImageSpec spec;
  spec.version = "1.1.0";
  auto bytes = build_esp_app_image(spec);
  auto up = upload_firmware(client, server.admin_key(), bytes, "1.1.0");
  ASSERT_TRUE(up);
  ASSERT_EQ(up->status, 200) << up->body;

  auto check = client.Get(check_update_path("pub-dev", "1.0.0", kSecret));
  ASSERT_TRUE(check);
  std::string url(json_of(check->body).at("url").as_string());
  EXPECT_EQ(url, server.base_url() + "/api/firmware/fw-1.1.0-stable.bin");
  RawResponse r = raw_request(server.port(), "/api/firmware/fw-1.1.0-stable.bin");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.body == std::string(bytes.begin(), bytes.end()));
  EXPECT_EQ(raw_request(server.port(), "/api/firmware/fw-1.1.1-stable.bin").status, 404);
}

}  // namespace
}  // namespace apiota::testing
