// Connection caps against the real binary: the per-address cap closes a
// surplus connection at once; at the global cap a new client is still served
// because the longest-idle connections are closed to make room (a slow
// request head counts as idle, a request in progress never does); and the
// open-files limit is raised at start, or the cap lowered to fit a low hard
// limit, with a warning, while health keeps answering.
//
// 127.0.0.2, 127.0.0.3... are loopback addresses too: connections bound to
// them look like clients from different addresses.

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "support/polling.h"
#include "support/raw_connection.h"
#include "support/server_process.h"

namespace apiota::testing {
namespace {

using namespace std::chrono_literals;
using Connections = std::vector<std::unique_ptr<RawConnection>>;

constexpr const char* kSmallCaps = "[limits]\nmax_connections = 64\nmax_connections_per_address = 16\n";
constexpr const char* kHealth = "GET /api/health HTTP/1.1\r\nHost: apiota\r\n\r\n";

std::string loopback(int last_byte) { return "127.0.0." + std::to_string(last_byte); }

// True when a request on `conn` gets a 200.
bool answers_health(RawConnection& conn) {
  RawResponse res;
  return conn.send_all(kHealth) && conn.read_response(res, false, 3s) && res.status == 200;
}

// A fresh connection from `source` answers /api/health.
bool fresh_client_answered(std::uint16_t port, const std::string& source = "127.0.0.1") {
  RawConnection conn(port, 0, source);
  return conn.ok() && answers_health(conn);
}

// `count` connections from `source`, each left idle after one request (so
// the server has surely taken it when this returns); a connection the server
// refuses is kept too, closed.
void add_idle_after_request(Connections& out, std::uint16_t port, const std::string& source, int count) {
  for (int i = 0; i < count; ++i) {
    out.push_back(std::make_unique<RawConnection>(port, 0, source));
    answers_health(*out.back());
  }
}

// `count` connections from `source` that never send anything.
void add_silent(Connections& out, std::uint16_t port, const std::string& source, int count) {
  for (int i = 0; i < count; ++i) out.push_back(std::make_unique<RawConnection>(port, 0, source));
}

// The soft "Max open files" of process `pid`, 0 when unreadable.
unsigned long soft_open_files_limit(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/limits");
  std::string line;
  static const std::regex kLine(R"(^Max open files\s+(\d+)\s)");
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_search(line, m, kLine)) return std::stoul(m[1]);
  }
  return 0;
}

TEST(ConnectionLimits, PerAddressCapClosesTheSurplusAtOnce) {
  ServerProcess server(ServerSetup{.config_toml = kSmallCaps});
  Connections held;
  add_idle_after_request(held, server.port(), loopback(2), 16);
  for (auto& conn : held) ASSERT_TRUE(conn->ok());

  RawConnection surplus(server.port(), 0, loopback(2));
  ASSERT_TRUE(surplus.ok());
  EXPECT_TRUE(surplus.closed_by_peer(2s)) << "a 17th connection from one address stays open";
  EXPECT_TRUE(surplus.pending_answer().empty()) << surplus.pending_answer();

  // Other addresses are not affected, and the address gets its room back
  // once one of its connections closes.
  EXPECT_TRUE(fresh_client_answered(server.port(), loopback(3)));
  held.front().reset();
  EXPECT_TRUE(eventually([&] { return fresh_client_answered(server.port(), loopback(2)); }));
  for (std::size_t i = 1; i < held.size(); ++i) EXPECT_TRUE(answers_health(*held[i])) << "connection " << i;
}

TEST(ConnectionLimits, AtTheGlobalCapTheLongestIdleMakeRoom) {
  ServerProcess server(ServerSetup{.config_toml = kSmallCaps});
  Connections held;
  for (int address = 2; address <= 6; ++address) add_idle_after_request(held, server.port(), loopback(address), 16);

  for (int i = 0; i < 5; ++i) EXPECT_TRUE(fresh_client_answered(server.port())) << "health check " << i;

  // 80 idle connections and 5 health checks went through a cap of 64: the
  // oldest idle ones were closed, the newest still serve.
  int closed = 0;
  for (auto& conn : held) closed += conn->closed_by_peer(0ms) ? 1 : 0;
  EXPECT_GE(closed, 80 - 64);
  for (std::size_t i = held.size() - 8; i < held.size(); ++i)
    EXPECT_TRUE(answers_health(*held[i])) << "connection " << i;
}

TEST(ConnectionLimits, ASlowHeadIsClosedUnderPressureARequestInProgressIsNot) {
  ServerProcess server(ServerSetup{.config_toml = kSmallCaps});
  RawConnection slow(server.port(), 0, loopback(7));
  ASSERT_TRUE(slow.send_all("GET /api/health HTTP/1.1\r\n"));
  const std::string body = R"({"device_id":"busy-1"})";
  RawConnection busy(server.port(), 0, loopback(8));
  ASSERT_TRUE(
      busy.send_all("POST /api/register HTTP/1.1\r\nHost: apiota\r\nContent-Type: application/json\r\n"
                    "Content-Length: " +
                    std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, 5)));

  Connections held;
  for (int address = 2; address <= 6; ++address) {
    // The slow client trickles its head, one byte per batch of connections.
    slow.send_all("X");
    add_idle_after_request(held, server.port(), loopback(address), 16);
  }
  EXPECT_TRUE(fresh_client_answered(server.port()));

  EXPECT_TRUE(slow.closed_by_peer(2s)) << "the slow head was not closed: " << slow.pending_answer();
  ASSERT_TRUE(busy.send_all(body.substr(5)));
  RawResponse res;
  ASSERT_TRUE(busy.read_response(res)) << "the request in progress was cut: " << busy.pending_answer();
  EXPECT_EQ(res.status, 400) << res.body;
}

TEST(ConnectionLimits, RaisesItsOpenFilesSoftLimitAtStart) {
  ServerProcess server(
      ServerSetup{.config_toml = "[limits]\nmax_connections = 1000\n", .open_files = OpenFilesLimit{256, 4096}});
  unsigned long soft = soft_open_files_limit(server.pid());
  EXPECT_GT(soft, 1000u);
  EXPECT_LE(soft, 4096u);
  EXPECT_NE(server.log().find("open-files limit raised from 256 to " + std::to_string(soft)), std::string::npos)
      << server.log();
  EXPECT_EQ(server.log().find("allows only"), std::string::npos) << server.log();
}

TEST(ConnectionLimits, ALowHardLimitLowersTheCapAndHealthStillAnswers) {
  ServerProcess server(
      ServerSetup{.config_toml = "[limits]\nmax_connections = 1000\nmax_connections_per_address = 1000\n",
                  .open_files = OpenFilesLimit{256, 256}});
  EXPECT_EQ(soft_open_files_limit(server.pid()), 256u);
  std::smatch m;
  const std::string log = server.log();
  static const std::regex kWarning(R"(the hard limit 256 allows only (\d+) of max_connections = 1000)");
  if (std::regex_search(log, m, kWarning)) {
    EXPECT_GT(std::stoi(m[1]), 0);
    EXPECT_LT(std::stoi(m[1]), 256);
  } else {
    ADD_FAILURE() << "no warning about the open-files limit:\n" << log;
  }

  // Far more silent connections than the process has file descriptors for.
  Connections held;
  add_silent(held, server.port(), loopback(2), 400);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(fresh_client_answered(server.port())) << "health check " << i;
}

}  // namespace
}  // namespace apiota::testing
