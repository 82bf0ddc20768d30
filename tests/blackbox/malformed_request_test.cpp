// The malformed-request corpus, against the real binary: hand-made requests
// that break HTTP/1.1 framing, target syntax, percent-encoding, JSON,
// multipart and Range in the ways attackers and broken clients do. For every
// one the server must answer with a status below 500 (501 for an unknown
// transfer coding is allowed) or close the connection, never a 500 or a
// crash, and /api/health must answer on a fresh connection right after.
// Run under ASan/UBSan in CI, this is also a memory-safety check of the
// request path.

#include <gtest/gtest.h>
#include <signal.h>

#include <string>
#include <vector>

#include "support/firmware_images.h"
#include "support/http_checks.h"
#include "support/raw_connection.h"
#include "support/server_process.h"

namespace apiota::testing {
namespace {

using namespace std::chrono_literals;
using namespace std::string_literals;

constexpr const char *kSecret = "malformed-secret-0123456";

struct Case {
  std::string name;
  std::string bytes;
};

std::string get(const std::string &target,
                const std::string &extra_headers = "") {
  return "GET " + target + " HTTP/1.1\r\nHost: t\r\n" + extra_headers + "\r\n";
}

std::string post(const std::string &target, const std::string &body,
                 const std::string &extra_headers = "") {
  return "POST " + target +
         " HTTP/1.1\r\nHost: t\r\nContent-Type: "
         "application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n" + extra_headers + "\r\n" + body;
}

std::string creds() {
  std::string query = "device_id=mal-1&device_secret=";
  query.append(kSecret);
  return query;
}

std::vector<Case> corpus(const std::string &admin_key,
                         const std::string &firmware_url) {
  std::string auth = "Authorization: Bearer " + admin_key + "\r\n";
  std::string body_creds =
      std::string(R"("device_id":"mal-1","device_secret":")") + kSecret + "\"";
  std::string deep(5000, '[');
  std::string multipart_head =
      "POST /api/firmware/upload HTTP/1.1\r\nHost: t\r\n" + auth +
      "Content-Type: multipart/form-data; boundary=XX\r\n";
  std::vector<Case> cases;
  auto add = [&](std::string name, std::string bytes) {
    cases.push_back({std::move(name), std::move(bytes)});
  };
  // Request line.
  add("empty line then garbage", "\r\n\r\nxyz\r\n\r\n");
  add("method only", "GET\r\n\r\n");
  add("no version", "GET /api/health\r\n\r\n");
  add("unknown version", "GET /api/health HTTP/9.9\r\nHost: t\r\n\r\n");
  add("HTTP/0.9 style", "GET /api/health\n");
  add("lower-case method", "get /api/health HTTP/1.1\r\nHost: t\r\n\r\n");
  add("unknown method", "BREW /api/health HTTP/1.1\r\nHost: t\r\n\r\n");
  add("huge method",
      std::string(8000, 'G') + " /api/health HTTP/1.1\r\nHost: t\r\n\r\n");
  add("absolute-form target", get("http://evil.example/api/health"));
  add("asterisk target", "OPTIONS * HTTP/1.1\r\nHost: t\r\n\r\n");
  add("CONNECT authority",
      "CONNECT evil.example:443 HTTP/1.1\r\nHost: t\r\n\r\n");
  add("NUL in target", "GET /api/he\0alth HTTP/1.1\r\nHost: t\r\n\r\n"s);
  add("tab in target", get("/api/health\t/x"));
  add("bare LF line ends", "GET /api/health HTTP/1.1\nHost: t\n\n");
  add("two spaces", "GET  /api/health  HTTP/1.1\r\nHost: t\r\n\r\n");
  // Headers.
  add("header without colon", get("/api/health", "NoColonHere\r\n"));
  add("space before colon", get("/api/health", "Host : t\r\n"));
  add("obsolete line folding", get("/api/health", "X-A: a\r\n  folded\r\n"));
  add("control byte in value",
      get("/api/health", std::string("X-A: a\x01b\r\n")));
  add("non-UTF-8 header value",
      get("/api/health", "X-A: \xff\xfe\xc0\xaf\r\n"));
  add("header over the limit",
      get("/api/health", "X-Big: " + std::string(20000, 'a') + "\r\n"));
  add("ten thousand tiny headers", get("/api/health", [] {
        std::string h;
        for (int i = 0; i < 10000; ++i)
          h += "a:" + std::to_string(i % 10) + "\r\n";
        return h;
      }()));
  // Framing.
  add("two different Content-Lengths",
      "POST /api/ota-log HTTP/1.1\r\nHost: t\r\nContent-Length: "
      "2\r\nContent-Length: 5\r\n\r\n{}");
  add("Content-Length list", "POST /api/ota-log HTTP/1.1\r\nHost: "
                             "t\r\nContent-Length: 2, 2\r\n\r\n{}");
  add("negative Content-Length",
      "POST /api/ota-log HTTP/1.1\r\nHost: t\r\nContent-Length: -1\r\n\r\n");
  add("plus-signed Content-Length",
      "POST /api/ota-log HTTP/1.1\r\nHost: t\r\nContent-Length: +2\r\n\r\n{}");
  add("Content-Length past 2^64",
      "POST /api/ota-log HTTP/1.1\r\nHost: t\r\nContent-Length: "
      "99999999999999999999999\r\n\r\n");
  add("Content-Length longer than the body",
      "POST /api/ota-log HTTP/1.1\r\nHost: t\r\nContent-Length: 50\r\n\r\n{}");
  add("Content-Length and chunked",
      "POST /api/ota-log HTTP/1.1\r\nHost: t\r\nContent-Length: "
      "4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
  add("unknown transfer coding", "POST /api/ota-log HTTP/1.1\r\nHost: "
                                 "t\r\nTransfer-Encoding: gzip\r\n\r\n{}");
  add("chunk size not hex",
      "POST /api/ota-log HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: "
      "chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n");
  add("chunk size overflow",
      "POST /api/ota-log HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: "
      "chunked\r\n\r\nfffffffffffffffffffff\r\n{}\r\n");
  add("chunk without CRLF",
      "POST /api/ota-log HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: "
      "chunked\r\n\r\n2\r\n{}0\r\n\r\n");
  add("long chunk extension", "POST /api/ota-log HTTP/1.1\r\nHost: "
                              "t\r\nTransfer-Encoding: chunked\r\n\r\n2;" +
                                  std::string(20000, 'x') +
                                  "\r\n{}\r\n0\r\n\r\n");
  add("chunked body over the JSON limit",
      "POST /api/ota-log HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: "
      "chunked\r\n\r\n" +
          http_chunk(std::string(300 * 1024, ' ')) + "0\r\n\r\n");
  add("garbage pipelined after a request",
      get("/api/health") + "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03");
  add("TLS ClientHello on the plain port",
      "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + std::string(64, '\x42'));
  // Targets and percent-encoding.
  add("lone percent", get("/api/check-update?device_id=%&version=1.0.0"));
  add("bad percent escape",
      get("/api/check-update?device_id=%zz&version=1.0.0&device_secret=x"));
  add("encoded NUL in a parameter",
      get("/api/check-update?device_id=mal%001&version=1.0.0&device_secret=" +
          std::string(kSecret)));
  add("overlong UTF-8 in a parameter",
      get("/api/check-update?device_id=%c0%af&version=1.0.0&device_secret=x"));
  add("encoded slash in the path", get("/api%2Fhealth"));
  add("dot segments to the firmware folder",
      get("/api/firmware/..%2F..%2Fsecret.key"));
  add("dot segments plain", get("/api/firmware/../../secret.key"));
  add("ten thousand parameters", get("/api/check-update?" + [] {
        std::string q;
        for (int i = 0; i < 10000; ++i)
          q += "a=1&";
        return q;
      }() + creds() + "&version=1.0.0"));
  add("repeated credentials",
      get("/api/check-update?" + creds() + "&device_id=other&version=1.0.0"));
  add("version that is not semver",
      get("/api/check-update?" + creds() + "&version=1.0.0.0.0.0-%ff"));
  add("huge version", get("/api/check-update?" + creds() +
                          "&version=" + std::string(3000, '9')));
  // JSON bodies.
  add("not JSON", post("/api/ota-log", "status=done"));
  add("truncated JSON",
      post("/api/ota-log", "{" + body_creds + ",\"status\":"));
  add("deeply nested JSON", post("/api/ota-log", deep));
  add("JSON with invalid UTF-8",
      post("/api/ota-log", "{" + body_creds + ",\"status\":\"\xff\xfe\"}"));
  add("JSON with a BOM", post("/api/ota-log", "\xef\xbb\xbf{" + body_creds +
                                                  ",\"status\":\"done\"}"));
  add("duplicate JSON keys",
      post("/api/ota-log",
           "{" + body_creds + ",\"status\":\"done\",\"status\":\"failed\"}"));
  add("number too large",
      post("/api/ota-log",
           "{" + body_creds +
               ",\"status\":\"downloading\",\"progress\":1e999}"));
  add("wrong JSON types",
      post("/api/ota-log",
           R"({"device_id":1,"device_secret":[],"status":{}})"));
  add("huge string",
      post("/api/register",
           "{\"device_id\":\"" + std::string(200 * 1024, 'a') + "\"}"));
  add("escaped NUL in an id",
      post("/api/register",
           "{\"device_id\":\"a\\u0000b\",\"device_secret\":\"" +
               std::string(kSecret) + "\",\"pk_key\":\"" + admin_key + "\"}"));
  add("config that is an array",
      "PUT /api/admin/config HTTP/1.1\r\nHost: t\r\n" + auth +
          "Content-Length: 2\r\n\r\n[]");
  // Multipart uploads.
  add("multipart without boundary",
      "POST /api/firmware/upload HTTP/1.1\r\nHost: t\r\n" + auth +
          "Content-Type: multipart/form-data\r\nContent-Length: 4\r\n\r\nabcd");
  add("multipart without closing delimiter",
      multipart_head + "Content-Length: 60\r\n\r\n--XX\r\nContent-Disposition: "
                       "form-data; name=\"version\"\r\n\r\n1.0.0\r\n");
  add("multipart part without headers",
      multipart_head + "Content-Length: 18\r\n\r\n--XX\r\n\r\nabc\r\n--XX--");
  add("multipart with a huge part header",
      multipart_head + "Transfer-Encoding: chunked\r\n\r\n" +
          http_chunk("--XX\r\nContent-Disposition: form-data; name=\"" +
                     std::string(100000, 'n') + "\"\r\n\r\nx\r\n--XX--\r\n") +
          "0\r\n\r\n");
  // Ranges on a real firmware file.
  add("suffix range of zero", get(firmware_url, "Range: bytes=-0\r\n"));
  add("inverted range", get(firmware_url, "Range: bytes=9-1\r\n"));
  add("range past the end", get(firmware_url, "Range: bytes=99999999-\r\n"));
  add("range of letters", get(firmware_url, "Range: bytes=a-b\r\n"));
  add("range overflow",
      get(firmware_url, "Range: bytes=0-99999999999999999999999999\r\n"));
  add("many ranges", get(
                         firmware_url, "Range: bytes=" + [] {
                           std::string r;
                           for (int i = 0; i < 2000; ++i)
                             r += std::to_string(i) + "-" + std::to_string(i) +
                                  ",";
                           return r;
                         }() + "0-1\r\n"));
  add("range unit unknown", get(firmware_url, "Range: pages=1-2\r\n"));
  add("If-None-Match garbage", get(firmware_url, "If-None-Match: \"\xff\r\n"));
  return cases;
}

// Sends `bytes` on a fresh connection; the status of the first response, or
// 0 when none came within a second (the server may rightly wait for the rest
// of a request that is cut short, or close without answering).
int first_status(std::uint16_t port, const std::string &bytes,
                 std::string &answer) {
  RawConnection conn(port);
  conn.send_all(bytes, 1s);
  RawResponse head;
  if (!conn.read_head(head, 1s)) {
    answer = conn.pending_answer();
    return raw_status(answer);
  }
  answer = head.status_line;
  return head.status;
}

bool health_answers(std::uint16_t port) {
  return raw_status(raw_exchange(port, "GET /api/health HTTP/1.1\r\nHost: "
                                       "t\r\nConnection: close\r\n\r\n")) ==
         200;
}

TEST(MalformedRequests, EveryOneIsRefusedCleanlyAndTheServerKeepsServing) {
  ServerProcess server;
  auto client = server.client();
  ASSERT_EQ(register_device(client, "mal-1", kSecret, server.admin_key()), 200);
  auto upload = upload_firmware(client, server.admin_key(),
                                firmware_image("1.1.0", 16 * 1024), "1.1.0");
  ASSERT_EQ(status_of(upload), 200);
  std::string firmware_url =
      "/api/firmware/" +
      std::string(json_of(upload->body).at("filename").as_string()) + "?" +
      creds();

  for (const auto &c : corpus(server.admin_key(), firmware_url)) {
    SCOPED_TRACE(c.name);
    std::string answer;
    int status = first_status(server.port(), c.bytes, answer);
    if (status != 0) {
      EXPECT_TRUE(status < 500 || status == 501)
          << "answered " << status << ":\n"
          << answer.substr(0, 400);
    }
    ASSERT_TRUE(health_answers(server.port()))
        << "the server stopped answering after this request";
  }
  EXPECT_EQ(::kill(server.pid(), 0), 0) << "the server process is gone";
  EXPECT_EQ(server.log().find("request failed"), std::string::npos)
      << server.log();
  EXPECT_EQ(server.log().find("connection failed"), std::string::npos)
      << server.log();
}

} // namespace
} // namespace apiota::testing
