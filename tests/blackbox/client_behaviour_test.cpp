// EspClients: real ESP32 OTA clients simulated over raw sockets, byte for
// byte as shared/spec/esp32-image.md §2 describes them, against the signed
// download url check-update hands out.
//
// (a) ESP-IDF partial_http_download: HEAD, then `Range: bytes=S-E` 64 KiB at a
//     time with the last request `bytes=S-`, all on one keep-alive connection;
//     the reassembled file equals the image.
// (b) ESP-IDF ota_resumption: the first request is `Range: bytes=N-` and gets
//     206 with the rest of the file.
// (c) Arduino HTTPUpdate: HTTP/1.0 GET with its x-ESP32-* headers gets 200,
//     the exact Content-Length, a body starting with 0xE9 and a lowercase
//     32-hex x-MD5 equal to the file's MD5.
// (d) A client that resets the connection mid-download does not take the
//     server down; it keeps serving.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "support/digests.h"
#include "support/firmware_images.h"
#include "support/http_checks.h"
#include "support/raw_connection.h"
#include "support/server_process.h"

namespace apiota::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kIdfRequestSize = 64 * 1024;  // DEFAULT_REQUEST_SIZE

// Registers a device, uploads `image` as `version` and returns the path and
// query of the download url check-update offers that device.
std::string publish(const ServerProcess& server, const std::vector<std::uint8_t>& image, const std::string& version) {
  auto client = server.client();
  const std::string secret = "esp-client-secret-42";
  EXPECT_EQ(register_device(client, "esp32-client", secret, server.admin_key(), "1.0.0"), 200);
  auto up = upload_firmware(client, server.admin_key(), image, version);
  if (!up || up->status != 200) {
    ADD_FAILURE() << "upload failed: " << (up ? up->body : "no answer: " + httplib::to_string(up.error()));
    return {};
  }
  auto check = client.Get(check_update_path("esp32-client", "1.0.0", secret));
  if (!check || check->status != 200) {
    ADD_FAILURE() << "check-update failed";
    return {};
  }
  auto answer = json_of(check->body);
  if (!answer.is_object() || answer.at("update") != true) {
    ADD_FAILURE() << "no update offered: " << check->body;
    return {};
  }
  std::string url(answer.at("url").as_string());
  if (!url.starts_with(server.base_url())) {
    ADD_FAILURE() << "url on another host: " << url;
    return {};
  }
  return url.substr(server.base_url().size());
}

// esp_http_client's request for `path`, with an optional Range header.
std::string idf_request(const std::string& method, const std::string& path, std::uint16_t port,
                        const std::string& range = "") {
  std::string out = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                    "\r\nUser-Agent: ESP32 HTTP Client/1.0\r\n";
  if (!range.empty()) out += "Range: " + range + "\r\n";
  return out + "\r\n";
}

TEST(EspClients, IdfPartialDownloadReassemblesTheImageOnOneConnection) {
  ServerProcess server;
  auto image = firmware_image("2.1.0", 600 * 1024 + 100);  // not a whole number of 64 KiB requests
  const std::string path = publish(server, image, "2.1.0");
  ASSERT_FALSE(path.empty());
  const std::string bytes = as_string(image);
  const std::string total = std::to_string(bytes.size());

  RawConnection conn(server.port());
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE(conn.send_all(idf_request("HEAD", path, server.port())));
  RawResponse head;
  ASSERT_TRUE(conn.read_response(head, /*head_request=*/true));
  ASSERT_EQ(head.status, 200);
  ASSERT_EQ(head.header("content-length"), total);
  EXPECT_EQ(head.header("accept-ranges"), "bytes");

  std::string assembled;
  int requests = 0;
  for (std::size_t start = 0; start < bytes.size(); start += kIdfRequestSize) {
    const bool last = start + kIdfRequestSize >= bytes.size();
    std::string range =
        "bytes=" + std::to_string(start) + "-" + (last ? std::string() : std::to_string(start + kIdfRequestSize - 1));
    ASSERT_TRUE(conn.send_all(idf_request("GET", path, server.port(), range))) << range;
    RawResponse part;
    ASSERT_TRUE(conn.read_response(part)) << "no complete answer to " << range << " on the kept-alive connection";
    ++requests;
    ASSERT_EQ(part.status, 206) << range;
    const std::size_t end = last ? bytes.size() - 1 : start + kIdfRequestSize - 1;
    EXPECT_EQ(part.header("content-range"), "bytes " + std::to_string(start) + "-" + std::to_string(end) + "/" + total);
    EXPECT_EQ(part.header("content-length"), std::to_string(end - start + 1));
    EXPECT_TRUE(part.header("transfer-encoding").empty());
    EXPECT_NE(part.header("connection"), "close") << "the server dropped keep-alive after " << range;
    assembled += part.body;
  }
  EXPECT_EQ(requests, static_cast<int>((bytes.size() + kIdfRequestSize - 1) / kIdfRequestSize));
  EXPECT_EQ(assembled.size(), bytes.size());
  EXPECT_TRUE(assembled == bytes) << "the reassembled file differs from the image";
}

TEST(EspClients, IdfOtaResumptionGetsTheRestWith206) {
  ServerProcess server;
  auto image = firmware_image("2.2.0", 512 * 1024);
  const std::string path = publish(server, image, "2.2.0");
  ASSERT_FALSE(path.empty());
  const std::string bytes = as_string(image);
  const std::size_t resume_at = (bytes.size() / 3) & ~std::size_t{15};  // aligned down to 16

  RawConnection conn(server.port());
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE(conn.send_all(idf_request("GET", path, server.port(), "bytes=" + std::to_string(resume_at) + "-")));
  RawResponse res;
  ASSERT_TRUE(conn.read_response(res));
  ASSERT_EQ(res.status, 206) << "ESP-IDF restarts from 0 on anything but 206";
  EXPECT_EQ(res.header("content-range"), "bytes " + std::to_string(resume_at) + "-" + std::to_string(bytes.size() - 1) +
                                             "/" + std::to_string(bytes.size()));
  EXPECT_EQ(res.header("content-length"), std::to_string(bytes.size() - resume_at));
  EXPECT_TRUE(res.body == bytes.substr(resume_at)) << "the resumed part differs from the image";
}

TEST(EspClients, ArduinoHttpUpdateGetsTheImageOverHttp10) {
  ServerProcess server;
  auto image = firmware_image("2.3.0", 700 * 1024);
  const std::string path = publish(server, image, "2.3.0");
  ASSERT_FALSE(path.empty());
  const std::string bytes = as_string(image);

  // HTTPUpdate::handleUpdate() with useHTTP10(true), as arduino-esp32 sends it.
  std::string request = "GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1:" + std::to_string(server.port()) +
                        "\r\n"
                        "User-Agent: ESP32-http-Update\r\n"
                        "Connection: close\r\n"
                        "Cache-Control: no-cache\r\n"
                        "x-ESP32-STA-MAC: 24:0A:C4:12:34:56\r\n"
                        "x-ESP32-AP-MAC: 24:0A:C4:12:34:57\r\n"
                        "x-ESP32-free-space: 1966080\r\n"
                        "x-ESP32-sketch-size: 912384\r\n"
                        "x-ESP32-sketch-md5: 0123456789abcdef0123456789abcdef\r\n"
                        "x-ESP32-sketch-sha256: "
                        "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF\r\n"
                        "x-ESP32-chip-size: 4194304\r\n"
                        "x-ESP32-sdk-version: v4.4.7-dirty\r\n"
                        "x-ESP32-mode: sketch\r\n"
                        "x-ESP32-version: 1.0.0\r\n"
                        "\r\n";
  auto started = Clock::now();
  std::string raw = raw_exchange(server.port(), request, 5000ms);
  auto elapsed = Clock::now() - started;
  EXPECT_LT(elapsed, 4s) << "the server did not close the HTTP/1.0 connection after the body";

  auto head_end = raw.find("\r\n\r\n");
  ASSERT_NE(head_end, std::string::npos) << raw.substr(0, 200);
  std::string head = raw.substr(0, head_end);
  std::string body = raw.substr(head_end + 4);
  EXPECT_TRUE(head.starts_with("HTTP/1.0 200") || head.starts_with("HTTP/1.1 200")) << head;

  std::smatch m;
  ASSERT_TRUE(std::regex_search(head, m, std::regex("\r\ncontent-length: *([0-9]+)", std::regex::icase))) << head;
  EXPECT_EQ(m[1].str(), std::to_string(bytes.size()));
  EXPECT_FALSE(std::regex_search(head, std::regex("\r\ntransfer-encoding:", std::regex::icase))) << head;
  EXPECT_FALSE(std::regex_search(head, std::regex("\r\ncontent-encoding:", std::regex::icase))) << head;
  ASSERT_TRUE(std::regex_search(head, m, std::regex("\r\nx-md5: *([^\r\n]*)", std::regex::icase))) << head;
  EXPECT_TRUE(std::regex_match(m[1].str(), std::regex("[0-9a-f]{32}"))) << "x-MD5: " << m[1].str();
  EXPECT_EQ(m[1].str(), md5_hex(bytes));

  ASSERT_FALSE(body.empty());
  EXPECT_EQ(static_cast<unsigned char>(body[0]), 0xE9);
  EXPECT_EQ(body.size(), bytes.size());
  EXPECT_TRUE(body == bytes) << "the body differs from the image";
}

TEST(EspClients, ClientResettingMidDownloadDoesNotHurtTheServer) {
  ServerProcess server;
  auto image = firmware_image("2.4.0", 4 * 1024 * 1024);
  const std::string path = publish(server, image, "2.4.0");
  ASSERT_FALSE(path.empty());
  const std::string bytes = as_string(image);

  for (int round = 0; round < 3; ++round) {
    RawConnection conn(server.port());
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE(conn.send_all(idf_request("GET", path, server.port())));
    RawResponse res;
    auto deadline = Clock::now() + 5s;
    ASSERT_TRUE(conn.read_head(res, deadline));
    ASSERT_EQ(res.status, 200);
    ASSERT_TRUE(conn.read_body(res.body, 100 * 1024, deadline));
    conn.reset();
  }
  std::this_thread::sleep_for(100ms);  // let the server run into the reset

  auto client = server.client();
  auto health = client.Get("/api/health");
  ASSERT_TRUE(health) << "the server died after a client reset the connection";
  EXPECT_EQ(health->status, 200);
  auto download = client.Get(path);
  ASSERT_TRUE(download);
  EXPECT_EQ(download->status, 200);
  EXPECT_TRUE(download->body == bytes) << "the next download differs from the image";
}

}  // namespace
}  // namespace apiota::testing
