// The server's TLS against an ESP32 on mbedTLS: tests/tools/mbedtls_ota_client
// (mbedTLS 2.28 configured as esp_tls configures it: TLS 1.2, ESP-IDF's
// default cipher suites, the server verified against the test CA and the
// name localhost, session tickets on; esp_https_ota's Range download) runs
// the seed's device flow against the real binary: register with a
// provisioning key, poll check-update twice, log "downloading", download.
// The server serves its leaf certificate alone, as docs/tls.md advises for a
// fleet. With ECDSA and RSA certificates, without Max Fragment Length and
// with MFL 512 (ECDSA), 1024 (RSA) and 4096, it proves: the first handshake
// is full and every later connection (the next poll, the OTA log, the
// download) resumes it; check-update offers the update with an https
// download URL; every Range chunk is a 206 and the bytes' sha256 and MD5 are
// the uploaded image's; the server agrees to the fragment length asked for
// and sends no record longer than it allows. Controls prove the checks can
// fail: without session reuse every handshake is full, and without MFL the
// server sends records longer than MFL 512 allows. Also: the server keeps to
// MFL 512 in the handshake too, so a Certificate message over 512 bytes (leaf
// and CA, or an RSA leaf) reaches mbedTLS 2.28 split, which it cannot
// reassemble, while MFL 1024 works; resumption works from the session cache
// when the client has tickets off; each ESP-IDF default AES-GCM suite is
// accepted on its own, and an ESP32 offering only CBC suites is refused
// (the ESP32 section of docs/tls.md).

#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "support/digests.h"
#include "support/firmware_images.h"
#include "support/fleet_records.h"
#include "support/http_checks.h"
#include "support/server_process.h"
#include "support/tls_files.h"

namespace apiota::testing {
namespace {

constexpr const char* kSecret = "mbedtls-secret-0123456789";
constexpr std::size_t kGcmRecordExpansion = 8 + 16;  // explicit nonce + tag

struct ClientRun {
  int exit_code = -1;  // -1 when it had to be killed
  std::string err;
  boost::json::object report;
};

std::string read_all(const std::filesystem::path& file) {
  std::stringstream text;
  text << std::ifstream(file, std::ios::binary).rdbuf();
  return text.str();
}

// Runs the mbedTLS client with `args` to completion (SIGKILL after 60 s),
// its output in `folder`; only the child it started is ever signalled.
ClientRun run_client(const TempFolder& folder, const std::vector<std::string>& args) {
  const auto out = folder / "client.out";
  const auto err = folder / "client.err";
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    const int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out_fd < 0 || err_fd < 0) ::_exit(126);
    ::dup2(out_fd, 1);
    ::dup2(err_fd, 2);
    std::vector<char*> argv = {const_cast<char*>(MBEDTLS_OTA_CLIENT)};
    for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ClientRun run;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) != pid) {
    if (std::chrono::steady_clock::now() >= deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
      status = -1;
      break;
    }
    ::poll(nullptr, 0, 20);
  }
  if (status != -1) run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  run.err = read_all(err);
  const boost::json::value report = json_of(read_all(out));
  if (report.is_object()) run.report = report.as_object();
  return run;
}

const boost::json::array& connections_of(const ClientRun& run) { return run.report.at("connections").as_array(); }

std::string suite_for(TlsKeyType key) {
  return key == TlsKeyType::EcdsaP256 ? "TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256"
                                      : "TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256";
}

enum class Chain { LeafAlone, LeafAndCa };

// `files` with a certificate file that holds the leaf alone (the first PEM
// block of its chain), written beside it.
TlsFiles with_leaf_alone(TlsFiles files) {
  const std::string chain = read_all(files.cert_file);
  const std::string end_marker = "-----END CERTIFICATE-----\n";
  const std::string leaf_file = files.cert_file + ".leaf.pem";
  std::ofstream(leaf_file, std::ios::binary) << chain.substr(0, chain.find(end_marker) + end_marker.size());
  files.cert_file = leaf_file;
  return files;
}

// A TLS server with a certificate of `key` type from the test CA, download
// URLs following the Host the device used (https://localhost:PORT/...).
class MbedTlsServer {
 public:
  explicit MbedTlsServer(TlsKeyType key, Chain chain = Chain::LeafAlone)
      : certs_("apiota-mbedtls"), tls_(certificate(certs_, key, chain)), server_(setup(tls_)) {}

  ServerProcess& server() { return server_; }
  const TempFolder& folder() const { return certs_; }

  std::string provisioning_key() {
    httplib::Client client = server_.client();
    auto created = client.Post("/api/admin/keys", bearer(server_.admin_key()), R"({"role":"provision"})",
                               "application/json");
    if (!created || created->status != 201) {
      ADD_FAILURE() << "creating a provisioning key failed";
      return "";
    }
    return std::string(json_of(created->body).at("key").as_string());
  }

  // The client's arguments for device `device_id` registering with a fresh
  // provisioning key, followed by `extra`.
  std::vector<std::string> device_args(const std::string& device_id, const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"--port",           std::to_string(server_.port()),
                                     "--host",           "localhost",
                                     "--ca",             tls_.ca_file,
                                     "--device-id",      device_id,
                                     "--secret",         kSecret,
                                     "--current-version", "1.0.0",
                                     "--provisioning-key", provisioning_key()};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

 private:
  static TlsFiles certificate(const TempFolder& folder, TlsKeyType key, Chain chain) {
    const TlsFiles files = make_tls_files(folder.path(), "server", key);
    return chain == Chain::LeafAlone ? with_leaf_alone(files) : files;
  }

  static ServerSetup setup(const TlsFiles& files) {
    ServerSetup setup;
    setup.public_url = false;
    setup.tls = files;
    return setup;
  }

  TempFolder certs_;
  TlsFiles tls_;
  ServerProcess server_;
};

struct ClientCase {
  TlsKeyType key;
  std::string max_fragment;  // --max-fragment
};

class MbedTlsClient : public ::testing::TestWithParam<ClientCase> {
 protected:
  MbedTlsClient() : tls_(key()) {}
  TlsKeyType key() const { return GetParam().key; }
  const std::string& max_fragment() const { return GetParam().max_fragment; }

  MbedTlsServer tls_;
};

TEST_P(MbedTlsClient, RegistersPollsResumesAndDownloadsByRangeWithinTheFragmentLength) {
  const std::vector<std::uint8_t> image = firmware_image("1.1.0", 300000);
  httplib::Client admin = tls_.server().client();
  ASSERT_EQ(status_of(upload_firmware(admin, tls_.server().admin_key(), image, "1.1.0")), 200);

  const ClientRun run = run_client(
      tls_.folder(), tls_.device_args("esp32-mbedtls", {"--chunk", "65536", "--max-fragment", max_fragment()}));
  ASSERT_EQ(run.exit_code, 0) << run.err;

  const auto& connections = connections_of(run);
  ASSERT_EQ(connections.size(), 5u) << boost::json::serialize(run.report);
  const std::vector<std::string> purposes = {"register", "check-update", "check-update", "ota-log", "download"};
  const std::size_t plaintext_limit = max_fragment() == "none" ? 16384 : std::stoul(max_fragment());
  for (std::size_t i = 0; i < connections.size(); ++i) {
    const auto& connection = connections[i].as_object();
    SCOPED_TRACE(boost::json::serialize(connection));
    EXPECT_EQ(connection.at("purpose"), purposes[i].c_str());
    EXPECT_EQ(connection.at("protocol"), "TLSv1.2");
    EXPECT_EQ(connection.at("ciphersuite"), suite_for(key()).c_str());
    if (i == 0) {
      EXPECT_EQ(connection.at("handshake"), "full");
      EXPECT_GE(connection.at("verify_calls").to_number<int>(), 1);
      EXPECT_EQ(connection.at("server_certificate"), true);
      EXPECT_EQ(connection.at("session_offered"), "none");
      EXPECT_EQ(connection.at("group"), "x25519");
    } else {
      EXPECT_EQ(connection.at("handshake"), "resumed");
      EXPECT_EQ(connection.at("verify_calls"), 0);
      EXPECT_EQ(connection.at("server_certificate"), false);
      EXPECT_EQ(connection.at("session_offered"), "ticket");
    }
    if (max_fragment() == "none") {
      EXPECT_TRUE(connection.at("max_fragment_length").is_null());
    } else {
      EXPECT_EQ(connection.at("max_fragment_length").to_number<std::size_t>(), plaintext_limit);
    }
    EXPECT_EQ(connection.at("plaintext_limit").to_number<std::size_t>(), plaintext_limit);
    EXPECT_EQ(connection.at("encrypted_limit").to_number<std::size_t>(), plaintext_limit + kGcmRecordExpansion);
    EXPECT_LE(connection.at("largest_plaintext_record").to_number<std::size_t>(), plaintext_limit);
    EXPECT_LE(connection.at("largest_encrypted_record").to_number<std::size_t>(),
              plaintext_limit + kGcmRecordExpansion);
  }
  if (max_fragment() == "none") {
    // The control: the record watch does see records longer than MFL 512 allows.
    EXPECT_GT(connections[4].at("largest_encrypted_record").to_number<std::size_t>(), 512 + kGcmRecordExpansion);
  }

  EXPECT_EQ(run.report.at("register_status"), 200);
  EXPECT_EQ(run.report.at("poll_statuses"), boost::json::array({200, 200}));
  const auto& offer = run.report.at("check_update").as_object();
  EXPECT_EQ(offer.at("update"), true);
  EXPECT_EQ(offer.at("version"), "1.1.0");
  const std::string url(offer.at("url").as_string());
  EXPECT_TRUE(url.starts_with("https://localhost:" + std::to_string(tls_.server().port()) + "/api/firmware/")) << url;

  const auto& download = run.report.at("download").as_object();
  EXPECT_EQ(download.at("head_status"), 200);
  const std::vector<std::string> ranges = {"bytes=0-65535", "bytes=65536-131071", "bytes=131072-196607",
                                           "bytes=196608-262143", "bytes=262144-"};
  const auto& chunks = download.at("chunks").as_array();
  ASSERT_EQ(chunks.size(), ranges.size());
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    EXPECT_EQ(chunks[i].at("range"), ranges[i].c_str());
    EXPECT_EQ(chunks[i].at("status"), 206) << chunks[i];
  }
  EXPECT_EQ(download.at("size").to_number<std::size_t>(), image.size());
  EXPECT_EQ(download.at("sha256"), sha256_hex(image).c_str());
  EXPECT_EQ(download.at("md5"), md5_hex(image).c_str());
}

INSTANTIATE_TEST_SUITE_P(MbedTlsKeysAndFragmentLengths, MbedTlsClient,
                         ::testing::Values(ClientCase{TlsKeyType::EcdsaP256, "none"},
                                           ClientCase{TlsKeyType::EcdsaP256, "512"},
                                           ClientCase{TlsKeyType::EcdsaP256, "4096"},
                                           ClientCase{TlsKeyType::Rsa2048, "none"},
                                           ClientCase{TlsKeyType::Rsa2048, "1024"}),
                         [](const auto& info) {
                           return std::string(info.param.key == TlsKeyType::EcdsaP256 ? "Ecdsa" : "Rsa") + "Mfl" +
                                  info.param.max_fragment;
                         });

// mbedTLS 2.28 (ESP-IDF 4.4) cannot reassemble a handshake message split over
// records. The server keeps to MFL 512 in the handshake too, so a Certificate
// message longer than 512 bytes (an ECDSA leaf with its CA, or an RSA leaf
// alone) arrives split and the device's handshake fails; MFL 1024 holds both.
TEST(MbedTlsFragmentLength, ACertificateMessageOver512BytesNeedsMfl1024OnMbedTls228) {
  for (const auto& [key, chain] : {std::pair{TlsKeyType::EcdsaP256, Chain::LeafAndCa},
                                   std::pair{TlsKeyType::Rsa2048, Chain::LeafAlone}}) {
    MbedTlsServer tls(key, chain);
    const ClientRun split =
        run_client(tls.folder(), tls.device_args("esp32-mfl-512", {"--polls", "1", "--max-fragment", "512"}));
    EXPECT_EQ(split.exit_code, 1) << split.err;
    EXPECT_NE(split.err.find("cannot reassemble"), std::string::npos) << split.err;
    ASSERT_EQ(connections_of(split).size(), 1u) << boost::json::serialize(split.report);
    const auto& failed = connections_of(split).at(0);
    EXPECT_EQ(failed.at("handshake"), "failed");
    EXPECT_EQ(failed.at("handshake_message_split"), true);
    EXPECT_GT(failed.at("largest_handshake_message").to_number<std::size_t>(), 512u);
    EXPECT_EQ(failed.at("largest_plaintext_record").to_number<std::size_t>(), 512u);

    const ClientRun whole =
        run_client(tls.folder(), tls.device_args("esp32-mfl-1024", {"--polls", "1", "--max-fragment", "1024"}));
    ASSERT_EQ(whole.exit_code, 0) << whole.err;
    EXPECT_EQ(connections_of(whole).at(0).at("handshake_message_split"), false);
    EXPECT_EQ(connections_of(whole).at(0).at("max_fragment_length"), 1024);
  }
}

// The control for resumption: a device that offers no saved session gets a
// full handshake, a certificate and a verify call every time.
TEST(MbedTlsSessionReuse, WithoutReuseEveryHandshakeIsFull) {
  MbedTlsServer tls(TlsKeyType::EcdsaP256);
  const ClientRun run = run_client(tls.folder(), tls.device_args("esp32-no-reuse", {"--no-session-reuse"}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto& connections = connections_of(run);
  ASSERT_EQ(connections.size(), 3u) << boost::json::serialize(run.report);
  for (const auto& connection : connections) {
    EXPECT_EQ(connection.at("handshake"), "full") << connection;
    EXPECT_GE(connection.at("verify_calls").to_number<int>(), 1) << connection;
    EXPECT_EQ(connection.at("server_certificate"), true) << connection;
    EXPECT_EQ(connection.at("session_offered"), "none") << connection;
  }
  EXPECT_EQ(run.report.at("check_update").at("update"), false);
}

// An mbedTLS client with session tickets off that offers its saved session
// resumes by session id from the server's session cache (docs/tls.md: a
// client resumes by a ticket or by the session cache).
TEST(MbedTlsSessionReuse, ResumesFromTheSessionCacheWithoutTickets) {
  MbedTlsServer tls(TlsKeyType::EcdsaP256);
  const ClientRun run = run_client(tls.folder(), tls.device_args("esp32-no-tickets", {"--no-session-tickets"}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto& connections = connections_of(run);
  ASSERT_EQ(connections.size(), 3u) << boost::json::serialize(run.report);
  EXPECT_EQ(connections[0].at("handshake"), "full");
  for (std::size_t i = 1; i < connections.size(); ++i) {
    EXPECT_EQ(connections[i].at("handshake"), "resumed") << connections[i];
    EXPECT_EQ(connections[i].at("session_offered"), "session_id") << connections[i];
    EXPECT_EQ(connections[i].at("verify_calls"), 0) << connections[i];
  }
  for (const auto& connection : connections) EXPECT_EQ(connection.at("new_session_ticket"), false) << connection;
}

// An ESP32 whose firmware narrows esp_tls_cfg_t.ciphersuites_list to one of
// ESP-IDF's default AES-GCM suites is served with it; one offering only CBC
// suites is refused at the handshake.
TEST(MbedTlsCipherSuites, EachDefaultAesGcmSuiteIsAcceptedAndCbcAloneIsRefused) {
  MbedTlsServer tls(TlsKeyType::EcdsaP256);
  for (const std::string suite : {"TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256", "TLS-ECDHE-ECDSA-WITH-AES-256-GCM-SHA384"}) {
    const ClientRun run =
        run_client(tls.folder(), tls.device_args("esp32-" + suite, {"--polls", "1", "--ciphersuite", suite}));
    ASSERT_EQ(run.exit_code, 0) << suite << ": " << run.err;
    EXPECT_EQ(connections_of(run).at(0).at("ciphersuite"), suite.c_str());
  }
  const ClientRun cbc = run_client(
      tls.folder(), tls.device_args("esp32-cbc", {"--polls", "1", "--ciphersuite", "TLS-ECDHE-ECDSA-WITH-AES-128-CBC-SHA256",
                                                  "--ciphersuite", "TLS-ECDHE-ECDSA-WITH-AES-256-CBC-SHA384"}));
  EXPECT_EQ(cbc.exit_code, 1) << cbc.err;
  EXPECT_NE(cbc.err.find("the TLS handshake (register) failed"), std::string::npos) << cbc.err;
}

}  // namespace
}  // namespace apiota::testing
