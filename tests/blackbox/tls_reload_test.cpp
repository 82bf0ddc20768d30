// The TLS certificate replaced while the server runs (docs/tls.md,
// "Rotating the certificate"), against the real binary: after SIGHUP, and
// after the files change with no signal, new connections get the renewed
// certificate (told apart by its serial number) while a session from before
// still resumes (the ticket keys survive the reload); a key that is not the
// certificate's or a file that is not PEM is refused with a log line naming
// it, and the old certificate stays in service; and under load, with
// keep-alive and new connections running through three reloads, no request
// fails.

#include <gtest/gtest.h>

#include <signal.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>
#include <vector>

#include "support/fleet_records.h"
#include "support/http_checks.h"
#include "support/polling.h"
#include "support/server_process.h"
#include "support/tls_files.h"
#include "support/tls_probe.h"

namespace apiota::testing {
namespace {

namespace fs = std::filesystem;
constexpr std::chrono::seconds kReloadLimit{20};

class TlsReload : public ::testing::Test {
 protected:
  TlsReload()
      : certs_("apiota-tls-reload"),
        files_(make_tls_files(certs_.path(), "server")),
        server_(setup(files_)),
        probe_(files_.ca_file) {}

  static ServerSetup setup(const TlsFiles& files) {
    ServerSetup s;
    s.tls = files;
    return s;
  }

  // Puts a renewal with serial `serial` in place of the served files the
  // way certbot or a secret mount does: written aside, then renamed in.
  void install_renewal(long serial) {
    const TlsFiles renewed = renew_tls_files(files_, certs_.path(), "renewal-" + std::to_string(serial), serial);
    fs::rename(renewed.key_file, files_.key_file);
    fs::rename(renewed.cert_file, files_.cert_file);
  }

  long served_serial() const { return probe_.get(server_.port(), "/api/health").serial; }

  bool serves(long serial) const {
    return eventually([&] { return served_serial() == serial; }, kReloadLimit);
  }

  bool logged(const std::string& text) const {
    return eventually([&] { return server_.log().find(text) != std::string::npos; }, kReloadLimit);
  }

  TempFolder certs_;
  TlsFiles files_;
  ServerProcess server_;
  TlsProbe probe_;
};

TEST_F(TlsReload, SighupServesTheRenewalToNewConnectionsAndEarlierSessionsStillResume) {
  const TlsExchange before = probe_.get(server_.port(), "/api/health");
  ASSERT_EQ(before.error, "");
  ASSERT_EQ(before.serial, 2);
  ASSERT_TRUE(before.session);
  httplib::Client kept = server_.client();
  kept.set_keep_alive(true);
  ASSERT_EQ(status_of(kept.Get("/api/health")), 200);

  install_renewal(3);
  ASSERT_EQ(::kill(server_.pid(), SIGHUP), 0);
  ASSERT_TRUE(serves(3)) << server_.log();
  EXPECT_TRUE(logged("TLS certificate reloaded (SIGHUP)")) << server_.log();

  const TlsExchange resumed = probe_.get(server_.port(), "/api/health", before.session);
  EXPECT_EQ(resumed.error, "");
  EXPECT_TRUE(resumed.resumed) << "a ticket from before the reload did not resume";
  EXPECT_EQ(resumed.status, 200);
  // The connection opened before the reload goes on serving.
  EXPECT_EQ(status_of(kept.Get("/api/health")), 200);
}

TEST_F(TlsReload, ChangedFilesAreReadWithoutASignal) {
  ASSERT_EQ(served_serial(), 2);
  install_renewal(4);
  ASSERT_TRUE(serves(4)) << server_.log();
  EXPECT_TRUE(logged("TLS certificate reloaded (the files changed)")) << server_.log();
}

TEST_F(TlsReload, AKeyThatIsNotTheCertificatesIsRefusedAndTheOldCertificateStays) {
  const TlsFiles stranger = make_tls_files(certs_.path(), "stranger");
  fs::copy_file(stranger.key_file, files_.key_file, fs::copy_options::overwrite_existing);
  ASSERT_EQ(::kill(server_.pid(), SIGHUP), 0);
  ASSERT_TRUE(logged("TLS certificate reload refused (SIGHUP): " + files_.key_file +
                     ": the key is not the certificate's"))
      << server_.log();
  const TlsExchange after = probe_.get(server_.port(), "/api/health");
  EXPECT_EQ(after.error, "");
  EXPECT_EQ(after.serial, 2);
  EXPECT_EQ(after.status, 200);
  EXPECT_EQ(server_.log().find("TLS certificate reloaded"), std::string::npos) << server_.log();
}

TEST_F(TlsReload, AFileThatIsNotPemIsRefusedAndTheOldCertificateStays) {
  std::ofstream(files_.cert_file, std::ios::trunc) << "not a certificate\n";
  // Noticed by the file watch: refused once, not again every check.
  ASSERT_TRUE(logged("TLS certificate reload refused (the files changed): " + files_.cert_file)) << server_.log();
  EXPECT_EQ(served_serial(), 2);
  ASSERT_EQ(::kill(server_.pid(), SIGHUP), 0);
  ASSERT_TRUE(logged("TLS certificate reload refused (SIGHUP)")) << server_.log();
  EXPECT_EQ(served_serial(), 2);
  // Fixing the files brings the renewal in.
  install_renewal(5);
  EXPECT_TRUE(serves(5)) << server_.log();
}

TEST_F(TlsReload, NoRequestFailsUnderLoadThroughThreeReloads) {
  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  std::atomic<int> requests{0};
  std::vector<std::thread> clients;
  std::mutex seen_mutex;
  std::set<long> serials_seen;
  // New connections, half of them resuming the previous session.
  for (int i = 0; i < 2; ++i) {
    clients.emplace_back([&] {
      TlsSessionPtr session;
      for (int n = 0; !done; ++n) {
        const TlsExchange x = probe_.get(server_.port(), "/api/health", n % 2 ? session : nullptr);
        ++requests;
        if (!x.error.empty() || x.status != 200) {
          ++failures;
          ADD_FAILURE() << "new connection: " << x.error << " status " << x.status;
        }
        session = x.session;
        std::lock_guard lock(seen_mutex);
        if (!x.resumed) serials_seen.insert(x.serial);
      }
    });
  }
  // A kept-alive connection, as a console or a busy device holds one.
  clients.emplace_back([&] {
    httplib::Client client = server_.client();
    client.set_keep_alive(true);
    while (!done) {
      auto res = client.Get("/api/health");
      ++requests;
      if (!res || res->status != 200) {
        ++failures;
        ADD_FAILURE() << "keep-alive: " << (res ? std::to_string(res->status) : httplib::to_string(res.error()));
      }
    }
  });

  for (long serial = 6; serial <= 8; ++serial) {
    const int before = requests;
    ASSERT_TRUE(eventually([&] { return requests >= before + 20; }, kReloadLimit));
    install_renewal(serial);
    ASSERT_EQ(::kill(server_.pid(), SIGHUP), 0);
    ASSERT_TRUE(eventually([&] {
      std::lock_guard lock(seen_mutex);
      return serials_seen.count(serial) > 0;
    }, kReloadLimit)) << server_.log();
  }
  const int before = requests;
  EXPECT_TRUE(eventually([&] { return requests >= before + 20; }, kReloadLimit));
  done = true;
  for (auto& t : clients) t.join();
  EXPECT_EQ(failures, 0);
  std::lock_guard lock(seen_mutex);
  EXPECT_TRUE(serials_seen.count(2) && serials_seen.count(6) && serials_seen.count(7) && serials_seen.count(8));
}

}  // namespace
}  // namespace apiota::testing
