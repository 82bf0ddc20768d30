// Request framing against the real binary (RFC 9112 §6): a request whose
// Transfer-Encoding is anything but one final `chunked` (other codings,
// repeated headers, Content-Length beside it, HTTP/1.0) is answered 400 and
// the connection closed, so a request pipelined behind it (or hidden in its
// body) is never served; a correct chunked body still works.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <iterator>
#include <ostream>
#include <regex>
#include <string>
#include <string_view>

#include "support/raw_connection.h"
#include "support/server_process.h"

namespace apiota::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kPipelined = "GET /api/health HTTP/1.1\r\nHost: apiota\r\n\r\n";

struct Variant {
  const char* name;
  const char* version;  // "1.1" or "1.0"
  const char* framing;  // header lines, each ending in CRLF
};

void PrintTo(const Variant& v, std::ostream* out) { *out << v.name; }

class TransferEncodingRefused : public ::testing::TestWithParam<Variant> {
 protected:
  static void SetUpTestSuite() { server_ = new ServerProcess(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static ServerProcess* server_;
};

ServerProcess* TransferEncodingRefused::server_ = nullptr;

// How many status lines ("HTTP/1.1 400 ") `text` holds.
int count_responses(const std::string& text) {
  static const std::regex kStatusLine(R"(HTTP/1\.[01] \d{3} )");
  return static_cast<int>(
      std::distance(std::sregex_iterator(text.begin(), text.end(), kStatusLine), std::sregex_iterator()));
}

TEST_P(TransferEncodingRefused, AnswersOne400AndClosesWithoutServingWhatFollows) {
  const Variant& v = GetParam();
  // The "body" is itself a request: a server that ignores the coding reads
  // it as the next request on the connection.
  std::string request = std::string("POST /api/register HTTP/") + v.version +
                        "\r\nHost: apiota\r\nContent-Type: application/json\r\n" + v.framing + "\r\n" + kPipelined +
                        kPipelined;
  RawConnection conn(server_->port());
  ASSERT_TRUE(conn.ok());
  conn.send_all(request);
  EXPECT_TRUE(conn.closed_by_peer(5s)) << "the connection stayed open";
  const std::string answer = conn.pending_answer();
  EXPECT_EQ(count_responses(answer), 1) << answer;
  RawResponse res = parse_raw_response(answer);
  ASSERT_TRUE(res.complete) << answer;
  EXPECT_EQ(res.status, 400) << answer;
  // An HTTP/1.0 reply closes without saying so.
  if (std::string_view(v.version) == "1.1") {
    EXPECT_EQ(res.header("connection"), "close") << answer;
  }
  auto body = json_of(res.body);
  ASSERT_TRUE(body.is_object()) << answer;
  EXPECT_EQ(body.at("error"), "INVALID_PARAMETER") << answer;
  EXPECT_EQ(body.at("status"), 400) << answer;
  EXPECT_NE(std::string(body.at("message").as_string()).find("Transfer-Encoding"), std::string::npos) << answer;
}

INSTANTIATE_TEST_SUITE_P(
    Framings, TransferEncodingRefused,
    ::testing::Values(
        Variant{"xchunked", "1.1", "Transfer-Encoding: xchunked\r\n"},
        Variant{"identity", "1.1", "Transfer-Encoding: identity\r\n"},
        Variant{"gzip", "1.1", "Transfer-Encoding: gzip\r\n"},
        Variant{"chunked_then_identity", "1.1", "Transfer-Encoding: chunked, identity\r\n"},
        Variant{"gzip_then_chunked", "1.1", "Transfer-Encoding: gzip, chunked\r\n"},
        Variant{"chunked_twice_in_one", "1.1", "Transfer-Encoding: chunked, chunked\r\n"},
        Variant{"chunked_in_two_headers", "1.1", "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"},
        Variant{"gzip_then_chunked_headers", "1.1", "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n"},
        Variant{"chunked_then_gzip_headers", "1.1", "Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n"},
        Variant{"empty", "1.1", "Transfer-Encoding: \r\n"},
        Variant{"trailing_comma", "1.1", "Transfer-Encoding: chunked,\r\n"},
        Variant{"with_parameter", "1.1", "Transfer-Encoding: chunked;q=1\r\n"},
        Variant{"length_then_chunked", "1.1", "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n"},
        Variant{"chunked_then_length", "1.1", "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n"},
        Variant{"length_then_gzip", "1.1", "Content-Length: 5\r\nTransfer-Encoding: gzip\r\n"},
        Variant{"gzip_then_length", "1.1", "Transfer-Encoding: gzip\r\nContent-Length: 5\r\n"},
        Variant{"http_1_0_chunked", "1.0", "Transfer-Encoding: chunked\r\n"}),
    [](const ::testing::TestParamInfo<Variant>& info) { return std::string(info.param.name); });

// `json` as a chunked body in two chunks.
std::string chunked(const std::string& json) {
  return http_chunk(json.substr(0, json.size() / 2)) + http_chunk(json.substr(json.size() / 2)) + "0\r\n\r\n";
}

TEST(TransferEncoding, AChunkedJsonBodyStillWorksInAnyCase) {
  ServerProcess server;
  int n = 0;
  for (const char* framing : {"Transfer-Encoding: chunked\r\n", "Transfer-Encoding: CHUNKED\r\n",
                              "Transfer-Encoding:   Chunked  \r\n", "Transfer-Encoding:\tchunked\t\r\n"}) {
    const std::string id = "te-" + std::to_string(++n);
    const std::string json = boost::json::serialize(boost::json::object{
        {"device_id", id}, {"device_secret", "te-secret-0123456789"}, {"pk_key", server.admin_key()}});
    RawConnection conn(server.port());
    ASSERT_TRUE(conn.send_all("POST /api/register HTTP/1.1\r\nHost: apiota\r\nContent-Type: application/json\r\n" +
                              std::string(framing) + "\r\n" + chunked(json) + kPipelined));
    RawResponse registered;
    ASSERT_TRUE(conn.read_response(registered)) << framing << conn.pending_answer();
    EXPECT_EQ(registered.status, 200) << framing << registered.body;
    // The connection stays usable: the pipelined request is served.
    RawResponse health;
    ASSERT_TRUE(conn.read_response(health)) << framing << conn.pending_answer();
    EXPECT_EQ(health.status, 200) << framing;
  }
}

}  // namespace
}  // namespace apiota::testing
