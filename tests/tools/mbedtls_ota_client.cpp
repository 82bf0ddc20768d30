// mbedtls_ota_client: an ESP32-like OTA device on mbedTLS's C API (2.28, as
// ESP-IDF 4.4 ships it), for tests/blackbox/mbedtls_client_test.cpp.
//
// It behaves as esp_tls / esp_http_client / esp_https_ota do: TLS 1.2 only,
// ESP-IDF's default TLS 1.2 cipher suites (kEspIdfDefaultSuites), the server
// verified against --ca and the name --host (MBEDTLS_SSL_VERIFY_REQUIRED),
// session tickets on (CONFIG_ESP_TLS_CLIENT_SESSION_TICKETS), and optionally
// the Max Fragment Length extension. Its flow is the seed's device sketch:
// POST /api/register with a provisioning key (when one is given), then
// --polls check-update calls, each on a new connection; when an update is
// offered, POST /api/ota-log "downloading", then esp_https_ota's partial
// download of the url it was given: a HEAD for the size, then
// `Range: bytes=S-E` requests of --chunk bytes on one kept-alive connection
// (the last one `bytes=S-`); the file's sha256 must be the one check-update
// announced and its MD5 the x-MD5 header.
//
// The session of the first full handshake is saved (mbedtls_ssl_get_session)
// and offered on every later connection (mbedtls_ssl_set_session) unless
// --no-session-reuse. Facts about every connection go into one JSON object
// on stdout:
// - "verify_calls": calls of the certificate verify callback. A resumed
//   handshake gets no certificate, so 0; a full one at least 1. The server's
//   plain handshake messages are also parsed off the wire, so
//   "server_certificate" says independently whether a Certificate came.
// - "max_fragment_length": the value the server's ServerHello echoed (null
//   when it sent no max_fragment_length extension).
// - "largest_plaintext_record" / "largest_encrypted_record": the largest
//   record payload (the length in the 5-byte record header) the server sent
//   before / after its ChangeCipherSpec, read from the bytes as the socket
//   delivers them. "plaintext_limit" is the negotiated fragment length (16384
//   without MFL); "encrypted_limit" adds the suite's record expansion, which
//   for TLS 1.2 AEAD suites is the 8-byte explicit nonce and 16-byte tag of
//   AES-GCM and AES-CCM (8-byte tag for CCM-8) or the 16-byte tag of
//   ChaCha20-Poly1305 (no explicit nonce): 512 + 24 = 536 for AES-GCM with
//   MFL 512. A record over its limit is a failure: a device whose mbedTLS
//   input buffer is the negotiated size could not read it.
// - "largest_handshake_message" / "handshake_message_split": mbedTLS 2.28
//   cannot reassemble a handshake message split over records (the handshake
//   fails with FEATURE_UNAVAILABLE), so under a small MFL the server's
//   Certificate message must fit in one record; the error then says so.
// A failed handshake still adds its connection, with "handshake": "failed".
//
// Exit status: 0 when the flow completed and every check held; 1 on any
// failure (the reason on stderr and in the JSON's "error"); 2 on bad usage.

#include <arpa/inet.h>
#include <mbedtls/cipher.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/md5.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/sha256.h>
#include <mbedtls/ssl.h>
#include <mbedtls/ssl_ciphersuites.h>
#include <mbedtls/x509_crt.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace json = boost::json;

// ESP-IDF's default TLS 1.2 offer (components/mbedtls Kconfig defaults: AES
// with GCM, CCM and CBC; key exchanges ECDHE-ECDSA, ECDHE-RSA, RSA,
// ECDH-ECDSA, ECDH-RSA; no ChaCha20, Camellia, ARIA, DHE or PSK), in
// mbedTLS 2.28's order of preference.
const int kEspIdfDefaultSuites[] = {
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,  MBEDTLS_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_CCM,         MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384,
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384,    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,       MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8,
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,  MBEDTLS_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_CCM,         MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,       MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8,
    MBEDTLS_TLS_RSA_WITH_AES_256_GCM_SHA384,          MBEDTLS_TLS_RSA_WITH_AES_256_CCM,
    MBEDTLS_TLS_RSA_WITH_AES_256_CBC_SHA256,          MBEDTLS_TLS_RSA_WITH_AES_256_CBC_SHA,
    MBEDTLS_TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384,     MBEDTLS_TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384,
    MBEDTLS_TLS_ECDH_RSA_WITH_AES_256_CBC_SHA,        MBEDTLS_TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384,
    MBEDTLS_TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384,   MBEDTLS_TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA,
    MBEDTLS_TLS_RSA_WITH_AES_256_CCM_8,               MBEDTLS_TLS_RSA_WITH_AES_128_GCM_SHA256,
    MBEDTLS_TLS_RSA_WITH_AES_128_CCM,                 MBEDTLS_TLS_RSA_WITH_AES_128_CBC_SHA256,
    MBEDTLS_TLS_RSA_WITH_AES_128_CBC_SHA,             MBEDTLS_TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256,
    MBEDTLS_TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256,     MBEDTLS_TLS_ECDH_RSA_WITH_AES_128_CBC_SHA,
    MBEDTLS_TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256,   MBEDTLS_TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256,
    MBEDTLS_TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA,      MBEDTLS_TLS_RSA_WITH_AES_128_CCM_8,
    0};

constexpr std::size_t kTlsMaxPlaintext = 16384;
constexpr const char* kUserAgent = "ESP32 HTTP Client/1.0";

constexpr const char* kUsage =
    "usage: mbedtls_ota_client --port N --ca CA.pem --device-id ID --secret S --current-version V\n"
    "         [--connect 127.0.0.1] [--host localhost] [--provisioning-key KEY] [--polls 2]\n"
    "         [--chunk 65536] [--max-fragment 512|1024|2048|4096|none] [--ciphersuite NAME]...\n"
    "         [--no-session-reuse] [--no-session-tickets] [--timeout-ms 10000]\n";

struct Failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string mbedtls_reason(int code) {
  char text[160];
  mbedtls_strerror(code, text, sizeof text);
  char hex[16];
  std::snprintf(hex, sizeof hex, "-0x%04X", static_cast<unsigned>(-code));
  return std::string(text) + " (" + hex + ")";
}

void check_mbedtls(int code, const std::string& what) {
  if (code != 0) throw Failure(what + ": " + mbedtls_reason(code));
}

// An mbedTLS context initialised on construction and freed on destruction.
template <typename Context, void (*Init)(Context*), void (*Free)(Context*)>
struct Owned {
  Owned() { Init(&value); }
  ~Owned() { Free(&value); }
  Owned(const Owned&) = delete;
  Owned& operator=(const Owned&) = delete;
  Context value;
};
using Entropy = Owned<mbedtls_entropy_context, mbedtls_entropy_init, mbedtls_entropy_free>;
using Drbg = Owned<mbedtls_ctr_drbg_context, mbedtls_ctr_drbg_init, mbedtls_ctr_drbg_free>;
using Certificates = Owned<mbedtls_x509_crt, mbedtls_x509_crt_init, mbedtls_x509_crt_free>;
using SslConfig = Owned<mbedtls_ssl_config, mbedtls_ssl_config_init, mbedtls_ssl_config_free>;
using SslContext = Owned<mbedtls_ssl_context, mbedtls_ssl_init, mbedtls_ssl_free>;

// A TCP socket, closed on destruction.
class Socket {
 public:
  Socket() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    if (fd_ < 0) throw Failure("socket: " + std::string(std::strerror(errno)));
  }
  ~Socket() { ::close(fd_); }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

// ---------------------------------------------------------------- options --

struct Options {
  std::string connect_address = "127.0.0.1";
  std::string host = "localhost";
  int port = 0;
  std::string ca_file;
  std::string device_id;
  std::string secret;
  std::string current_version;
  std::string provisioning_key;
  int polls = 2;
  std::size_t chunk = 65536;
  unsigned char mfl_code = MBEDTLS_SSL_MAX_FRAG_LEN_NONE;
  std::size_t mfl_bytes = 0;
  std::vector<int> ciphersuites;  // zero-terminated when set; empty: kEspIdfDefaultSuites
  bool reuse_session = true;
  bool session_tickets = true;
  int timeout_ms = 10000;
};

long parse_number(const std::string& flag, const std::string& text, long low, long high) {
  std::size_t used = 0;
  long value = 0;
  try {
    value = std::stol(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || value < low || value > high) throw UsageError(flag + ": not a number in range: " + text);
  return value;
}

Options parse_options(int argc, char** argv) {
  Options options;
  std::vector<std::string> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (flag == "--no-session-reuse") {
      options.reuse_session = false;
      continue;
    }
    if (flag == "--no-session-tickets") {
      options.session_tickets = false;
      continue;
    }
    if (i + 1 >= args.size()) throw UsageError(flag + ": a value is missing");
    const std::string& value = args[++i];
    if (flag == "--connect") options.connect_address = value;
    else if (flag == "--host") options.host = value;
    else if (flag == "--port") options.port = static_cast<int>(parse_number(flag, value, 1, 65535));
    else if (flag == "--ca") options.ca_file = value;
    else if (flag == "--device-id") options.device_id = value;
    else if (flag == "--secret") options.secret = value;
    else if (flag == "--current-version") options.current_version = value;
    else if (flag == "--provisioning-key") options.provisioning_key = value;
    else if (flag == "--polls") options.polls = static_cast<int>(parse_number(flag, value, 1, 100));
    else if (flag == "--chunk") options.chunk = static_cast<std::size_t>(parse_number(flag, value, 1, 1 << 24));
    else if (flag == "--timeout-ms") options.timeout_ms = static_cast<int>(parse_number(flag, value, 1, 600000));
    else if (flag == "--max-fragment") {
      const std::map<std::string, std::pair<unsigned char, std::size_t>> codes = {
          {"none", {MBEDTLS_SSL_MAX_FRAG_LEN_NONE, 0}},     {"512", {MBEDTLS_SSL_MAX_FRAG_LEN_512, 512}},
          {"1024", {MBEDTLS_SSL_MAX_FRAG_LEN_1024, 1024}}, {"2048", {MBEDTLS_SSL_MAX_FRAG_LEN_2048, 2048}},
          {"4096", {MBEDTLS_SSL_MAX_FRAG_LEN_4096, 4096}}};
      auto code = codes.find(value);
      if (code == codes.end()) throw UsageError("--max-fragment: one of 512, 1024, 2048, 4096, none");
      options.mfl_code = code->second.first;
      options.mfl_bytes = code->second.second;
    } else if (flag == "--ciphersuite") {
      const int id = mbedtls_ssl_get_ciphersuite_id(value.c_str());
      if (id == 0) throw UsageError("--ciphersuite: mbedTLS does not know " + value);
      if (!options.ciphersuites.empty()) options.ciphersuites.pop_back();
      options.ciphersuites.push_back(id);
      options.ciphersuites.push_back(0);
    } else {
      throw UsageError("unknown option " + flag);
    }
  }
  if (options.port == 0 || options.ca_file.empty() || options.device_id.empty() || options.secret.empty() ||
      options.current_version.empty()) {
    throw UsageError("--port, --ca, --device-id, --secret and --current-version are required");
  }
  return options;
}

// ------------------------------------------------------- the record watch --

std::uint32_t big_endian(const std::string& bytes, std::size_t at, std::size_t count) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < count; ++i) value = (value << 8) | static_cast<unsigned char>(bytes.at(at + i));
  return value;
}

// What the server sent, read from the raw bytes of the socket: the size of
// every record header (records can span reads, a read can hold many
// records), and the handshake messages it sent in the clear (all of a TLS
// 1.2 server's messages but Finished).
class RecordWatch {
 public:
  void feed(const unsigned char* data, std::size_t size) {
    for (std::size_t i = 0; i < size;) {
      if (payload_left_ == 0) {
        header_.push_back(static_cast<char>(data[i++]));
        if (header_.size() == 5) start_record();
        continue;
      }
      const std::size_t take = std::min(payload_left_, size - i);
      if (record_type_ == kHandshake && !encrypted_) handshake_.append(reinterpret_cast<const char*>(data + i), take);
      i += take;
      payload_left_ -= take;
      if (payload_left_ == 0) finish_record();
    }
  }

  std::size_t largest_plaintext_record() const { return largest_plaintext_; }
  std::size_t largest_encrypted_record() const { return largest_encrypted_; }
  // The longest plain handshake message (with its 4-byte header), and
  // whether any was split over more than one record.
  std::size_t largest_handshake_message() const { return largest_message_; }
  bool split_handshake_message() const { return split_message_; }
  bool saw(int message_type) const { return messages_.count(message_type) != 0; }
  // The body of the server's handshake message `message_type`; throws if none came.
  const std::string& message(int message_type) const {
    auto found = messages_.find(message_type);
    if (found == messages_.end()) throw Failure("the server sent no handshake message " + std::to_string(message_type));
    return found->second;
  }

  static constexpr int kServerHello = 2;
  static constexpr int kNewSessionTicket = 4;
  static constexpr int kCertificate = 11;
  static constexpr int kServerKeyExchange = 12;

 private:
  static constexpr int kChangeCipherSpec = 20;
  static constexpr int kHandshake = 22;

  void start_record() {
    record_type_ = static_cast<unsigned char>(header_[0]);
    payload_left_ = big_endian(header_, 3, 2);
    std::size_t& largest = encrypted_ ? largest_encrypted_ : largest_plaintext_;
    largest = std::max(largest, payload_left_);
    header_.clear();
    if (payload_left_ == 0) finish_record();
  }

  void finish_record() {
    if (record_type_ == kChangeCipherSpec) encrypted_ = true;
    while (handshake_.size() >= 4) {
      const std::size_t length = big_endian(handshake_, 1, 3);
      largest_message_ = std::max(largest_message_, 4 + length);
      if (handshake_.size() < 4 + length) break;
      messages_[static_cast<unsigned char>(handshake_[0])] = handshake_.substr(4, length);
      handshake_.erase(0, 4 + length);
    }
    if (!handshake_.empty()) split_message_ = true;  // the rest comes in the next record
  }

  std::string header_;
  int record_type_ = 0;
  std::size_t payload_left_ = 0;
  bool encrypted_ = false;
  std::size_t largest_plaintext_ = 0;
  std::size_t largest_encrypted_ = 0;
  std::size_t largest_message_ = 0;
  bool split_message_ = false;
  std::string handshake_;
  std::map<int, std::string> messages_;
};

// What a ServerHello body says.
struct ServerHello {
  int ciphersuite = 0;
  std::optional<std::size_t> max_fragment_length;
};

ServerHello parse_server_hello(const std::string& body) {
  ServerHello hello;
  std::size_t at = 2 + 32;  // version, random
  at += 1 + static_cast<unsigned char>(body.at(at));  // session id
  hello.ciphersuite = static_cast<int>(big_endian(body, at, 2));
  at += 2 + 1;  // cipher suite, compression
  if (at == body.size()) return hello;
  const std::size_t end = at + 2 + big_endian(body, at, 2);
  for (at += 2; at + 4 <= end;) {
    const std::uint32_t type = big_endian(body, at, 2);
    const std::size_t length = big_endian(body, at + 2, 2);
    if (type == 1 && length == 1) {
      const unsigned code = static_cast<unsigned char>(body.at(at + 4));
      if (code < 1 || code > 4) throw Failure("the server echoed an invalid max_fragment_length code");
      hello.max_fragment_length = std::size_t{256} << code;
    }
    at += 4 + length;
  }
  return hello;
}

// The named group of an ECDHE ServerKeyExchange ("" for another kind).
std::string key_exchange_group(const std::string& body) {
  if (body.size() < 3 || static_cast<unsigned char>(body[0]) != 3) return "";
  const std::map<std::uint32_t, std::string> names = {
      {0x0017, "secp256r1"}, {0x0018, "secp384r1"}, {0x0019, "secp521r1"}, {0x001d, "x25519"}, {0x001e, "x448"}};
  auto name = names.find(big_endian(body, 1, 2));
  return name == names.end() ? "group " + std::to_string(big_endian(body, 1, 2)) : name->second;
}

// Bytes a TLS 1.2 record of `suite` adds to its plaintext, for AEAD suites.
std::size_t record_expansion(int suite) {
  const mbedtls_ssl_ciphersuite_t* info = mbedtls_ssl_ciphersuite_from_id(suite);
  const mbedtls_cipher_info_t* cipher = info ? mbedtls_cipher_info_from_type(info->cipher) : nullptr;
  if (cipher == nullptr) throw Failure("unknown cipher suite " + std::to_string(suite));
  switch (cipher->mode) {
    case MBEDTLS_MODE_GCM:
      return 8 + 16;
    case MBEDTLS_MODE_CCM:
      return 8 + ((info->flags & MBEDTLS_CIPHERSUITE_SHORT_TAG) ? 8 : 16);
    case MBEDTLS_MODE_CHACHAPOLY:
      return 16;
    default:
      throw Failure(std::string("no exact record bound for the non-AEAD suite ") + info->name);
  }
}

// ---------------------------------------------------------- a connection --

struct SessionFree {
  void operator()(mbedtls_ssl_session* session) const {
    mbedtls_ssl_session_free(session);
    delete session;
  }
};
using SavedSession = std::unique_ptr<mbedtls_ssl_session, SessionFree>;

// What every connection shares, as on a device: the random generator, the
// trusted CA, the options and the session saved for resumption.
struct Device {
  explicit Device(const Options& chosen) : options(chosen) {
    check_mbedtls(mbedtls_ctr_drbg_seed(&random.value, mbedtls_entropy_func, &entropy.value, nullptr, 0),
                  "seeding the DRBG");
    check_mbedtls(mbedtls_x509_crt_parse_file(&ca.value, options.ca_file.c_str()), "reading " + options.ca_file);
  }

  const Options& options;
  Entropy entropy;
  Drbg random;
  Certificates ca;
  SavedSession saved_session;
  json::array connections;  // the report of every connection, in order
};

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lowercase names
  std::string body;

  std::string header(const std::string& name) const {
    auto found = headers.find(name);
    return found == headers.end() ? "" : found->second;
  }
};

// One TCP connection to the server and the TLS session on it, configured
// as esp_tls configures a client (one mbedtls_ssl_config per connection).
class Connection {
 public:
  Connection(Device& device, std::string purpose) : device_(device), purpose_(std::move(purpose)) {
    connect_socket();
    configure();
    handshake();
  }
  ~Connection() {
    if (report_index_) device_.connections[*report_index_].as_object()["requests"] = requests_;
    if (open_) mbedtls_ssl_close_notify(&ssl_.value);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  bool open() const { return open_; }

  // Sends one request and reads its whole response (Content-Length bytes; no
  // body for HEAD). The connection stays open unless the server says close.
  // `range` is a Range header's value ("" for none), `body` a JSON body.
  HttpResponse request(const std::string& method, const std::string& target, const std::string& range = "",
                       const std::string& body = "") {
    if (!open_) throw Failure("request on a closed connection");
    std::string head = method + " " + target + " HTTP/1.1\r\nHost: " + device_.options.host + ":" +
                       std::to_string(device_.options.port) + "\r\nUser-Agent: " + kUserAgent + "\r\n";
    if (!range.empty()) head += "Range: " + range + "\r\n";
    if (!body.empty()) {
      head += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
    }
    write_all(head + "\r\n" + body);
    HttpResponse response = read_response(method == "HEAD");
    if (response.header("connection") == "close") open_ = false;
    json::object entry{{"method", method}, {"target", target.substr(0, target.find('?'))}, {"status", response.status}};
    if (!range.empty()) entry["range"] = range;
    requests_.push_back(std::move(entry));
    return response;
  }

 private:
  static int send_bytes(void* context, const unsigned char* data, std::size_t size) {
    auto* self = static_cast<Connection*>(context);
    for (;;) {
      const ssize_t sent = ::send(self->socket_.fd(), data, size, MSG_NOSIGNAL);
      if (sent >= 0) return static_cast<int>(sent);
      if (errno == EINTR) continue;
      return errno == EAGAIN || errno == EWOULDBLOCK ? MBEDTLS_ERR_SSL_TIMEOUT : MBEDTLS_ERR_NET_SEND_FAILED;
    }
  }

  // Reads from the socket and shows the bytes to the record watch on the way.
  static int receive_bytes(void* context, unsigned char* data, std::size_t size) {
    auto* self = static_cast<Connection*>(context);
    for (;;) {
      const ssize_t got = ::recv(self->socket_.fd(), data, size, 0);
      if (got > 0) self->watch_.feed(data, static_cast<std::size_t>(got));
      if (got >= 0) return static_cast<int>(got);
      if (errno == EINTR) continue;
      return errno == EAGAIN || errno == EWOULDBLOCK ? MBEDTLS_ERR_SSL_TIMEOUT : MBEDTLS_ERR_NET_RECV_FAILED;
    }
  }

  static int count_verify_call(void* context, mbedtls_x509_crt*, int, std::uint32_t*) {
    ++static_cast<Connection*>(context)->verify_calls_;
    return 0;
  }

  void connect_socket() {
    const Options& options = device_.options;
    timeval limit{options.timeout_ms / 1000, (options.timeout_ms % 1000) * 1000};
    ::setsockopt(socket_.fd(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    ::setsockopt(socket_.fd(), SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(options.port));
    if (::inet_pton(AF_INET, options.connect_address.c_str(), &address.sin_addr) != 1) {
      throw Failure("--connect is not an IPv4 address: " + options.connect_address);
    }
    if (::connect(socket_.fd(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
      throw Failure("connect to " + options.connect_address + ":" + std::to_string(options.port) + ": " +
                    std::strerror(errno));
    }
  }

  void configure() {
    const Options& options = device_.options;
    check_mbedtls(mbedtls_ssl_config_defaults(&config_.value, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM,
                                              MBEDTLS_SSL_PRESET_DEFAULT),
                  "mbedtls_ssl_config_defaults");
    mbedtls_ssl_conf_min_version(&config_.value, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
    mbedtls_ssl_conf_max_version(&config_.value, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
    mbedtls_ssl_conf_rng(&config_.value, mbedtls_ctr_drbg_random, &device_.random.value);
    mbedtls_ssl_conf_authmode(&config_.value, MBEDTLS_SSL_VERIFY_REQUIRED);
    mbedtls_ssl_conf_ca_chain(&config_.value, &device_.ca.value, nullptr);
    mbedtls_ssl_conf_verify(&config_.value, count_verify_call, this);
    mbedtls_ssl_conf_renegotiation(&config_.value, MBEDTLS_SSL_RENEGOTIATION_ENABLED);
    mbedtls_ssl_conf_session_tickets(&config_.value, options.session_tickets ? MBEDTLS_SSL_SESSION_TICKETS_ENABLED
                                                                       : MBEDTLS_SSL_SESSION_TICKETS_DISABLED);
    mbedtls_ssl_conf_ciphersuites(&config_.value,
                                  options.ciphersuites.empty() ? kEspIdfDefaultSuites : options.ciphersuites.data());
    check_mbedtls(mbedtls_ssl_conf_max_frag_len(&config_.value, options.mfl_code), "mbedtls_ssl_conf_max_frag_len");
    check_mbedtls(mbedtls_ssl_setup(&ssl_.value, &config_.value), "mbedtls_ssl_setup");
    check_mbedtls(mbedtls_ssl_set_hostname(&ssl_.value, options.host.c_str()), "mbedtls_ssl_set_hostname");
    mbedtls_ssl_set_bio(&ssl_.value, this, send_bytes, receive_bytes, nullptr);
  }

  void handshake() {
    std::string offered = "none";
    if (device_.options.reuse_session && device_.saved_session) {
      check_mbedtls(mbedtls_ssl_set_session(&ssl_.value, device_.saved_session.get()), "mbedtls_ssl_set_session");
      offered = device_.saved_session->ticket_len > 0 ? "ticket" : "session_id";
    }
    const int result = mbedtls_ssl_handshake(&ssl_.value);
    if (result != 0) {
      device_.connections.push_back(wire_facts(offered, "failed"));
      throw Failure(why_the_handshake_failed(result));
    }
    open_ = true;
    const bool full = verify_calls_ > 0;
    if (full) save_session();
    report(offered, full);
  }

  std::string why_the_handshake_failed(int result) const {
    std::string why = "the TLS handshake (" + purpose_ + ") failed: " + mbedtls_reason(result);
    const std::uint32_t flags = mbedtls_ssl_get_verify_result(&ssl_.value);
    if (flags != 0 && flags != static_cast<std::uint32_t>(-1)) {
      char text[512];
      mbedtls_x509_crt_verify_info(text, sizeof text, "", flags);
      why += "; certificate: " + std::string(text);
    }
    if (result == MBEDTLS_ERR_SSL_FEATURE_UNAVAILABLE && watch_.split_handshake_message()) {
      why += "; the server split a handshake message of " + std::to_string(watch_.largest_handshake_message()) +
             " bytes over several records, and this mbedTLS cannot reassemble one";
    }
    return why;
  }

  void save_session() {
    SavedSession session(new mbedtls_ssl_session);
    mbedtls_ssl_session_init(session.get());
    check_mbedtls(mbedtls_ssl_get_session(&ssl_.value, session.get()), "mbedtls_ssl_get_session");
    device_.saved_session = std::move(session);
  }

  // What the wire showed of this connection's handshake; `outcome` is
  // "full", "resumed" or "failed".
  json::object wire_facts(const std::string& offered, const std::string& outcome) const {
    return {{"purpose", purpose_},
            {"session_offered", offered},
            {"handshake", outcome},
            {"verify_calls", verify_calls_},
            {"server_certificate", watch_.saw(RecordWatch::kCertificate)},
            {"new_session_ticket", watch_.saw(RecordWatch::kNewSessionTicket)},
            {"largest_handshake_message", watch_.largest_handshake_message()},
            {"handshake_message_split", watch_.split_handshake_message()},
            {"largest_plaintext_record", watch_.largest_plaintext_record()},
            {"largest_encrypted_record", watch_.largest_encrypted_record()}};
  }

  void report(const std::string& offered, bool full) {
    const ServerHello hello = parse_server_hello(watch_.message(RecordWatch::kServerHello));
    const char* suite_name = mbedtls_ssl_get_ciphersuite(&ssl_.value);
    if (hello.ciphersuite != mbedtls_ssl_get_ciphersuite_id(suite_name)) {
      throw Failure("mbedTLS reports another suite than the ServerHello chose");
    }
    plaintext_limit_ = hello.max_fragment_length.value_or(kTlsMaxPlaintext);
    encrypted_limit_ = plaintext_limit_ + record_expansion(hello.ciphersuite);
    json::object entry = wire_facts(offered, full ? "full" : "resumed");
    entry["protocol"] = mbedtls_ssl_get_version(&ssl_.value);
    entry["ciphersuite"] = suite_name;
    entry["group"] = watch_.saw(RecordWatch::kServerKeyExchange)
                         ? key_exchange_group(watch_.message(RecordWatch::kServerKeyExchange))
                         : "";
    if (hello.max_fragment_length) entry["max_fragment_length"] = *hello.max_fragment_length;
    else entry["max_fragment_length"] = nullptr;
    entry["plaintext_limit"] = plaintext_limit_;
    entry["encrypted_limit"] = encrypted_limit_;
    report_index_ = device_.connections.size();
    device_.connections.push_back(std::move(entry));
    update_record_sizes();
    if (device_.options.mfl_bytes != 0 && hello.max_fragment_length != device_.options.mfl_bytes) {
      throw Failure("asked for a max fragment length of " + std::to_string(device_.options.mfl_bytes) +
                    "; the server's ServerHello did not agree to it");
    }
  }

  // Copies the largest record sizes into the report and fails on one over its limit.
  void update_record_sizes() {
    json::object& entry = device_.connections[*report_index_].as_object();
    entry["largest_plaintext_record"] = watch_.largest_plaintext_record();
    entry["largest_encrypted_record"] = watch_.largest_encrypted_record();
    if (watch_.largest_plaintext_record() > plaintext_limit_ || watch_.largest_encrypted_record() > encrypted_limit_) {
      throw Failure("the server sent a record over the negotiated limit (" + purpose_ + ": plaintext " +
                    std::to_string(watch_.largest_plaintext_record()) + " > " + std::to_string(plaintext_limit_) +
                    " or encrypted " + std::to_string(watch_.largest_encrypted_record()) + " > " +
                    std::to_string(encrypted_limit_) + ")");
    }
  }

  void write_all(const std::string& bytes) {
    for (std::size_t done = 0; done < bytes.size();) {
      const int wrote =
          mbedtls_ssl_write(&ssl_.value, reinterpret_cast<const unsigned char*>(bytes.data() + done), bytes.size() - done);
      if (wrote < 0) throw Failure("mbedtls_ssl_write (" + purpose_ + "): " + mbedtls_reason(wrote));
      done += static_cast<std::size_t>(wrote);
    }
  }

  // Appends what arrives to the buffer; false at the end of the stream.
  bool read_more() {
    unsigned char chunk[4096];
    const int got = mbedtls_ssl_read(&ssl_.value, chunk, sizeof chunk);
    update_record_sizes();
    if (got == 0 || got == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) return false;
    if (got < 0) throw Failure("mbedtls_ssl_read (" + purpose_ + "): " + mbedtls_reason(got));
    buffer_.append(reinterpret_cast<const char*>(chunk), static_cast<std::size_t>(got));
    return true;
  }

  HttpResponse read_response(bool head_request) {
    std::size_t head_end = 0;
    while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!read_more()) throw Failure("the connection closed before a response head (" + purpose_ + ")");
    }
    HttpResponse response;
    const std::string head = buffer_.substr(0, head_end);
    buffer_.erase(0, head_end + 4);
    if (!head.starts_with("HTTP/1.1 ") || head.size() < 12) throw Failure("not an HTTP/1.1 response: " + head);
    response.status = std::stoi(head.substr(9, 3));
    for (std::size_t at = head.find("\r\n"); at != std::string::npos;) {
      const std::size_t next = head.find("\r\n", at + 2);
      const std::string line = head.substr(at + 2, next == std::string::npos ? std::string::npos : next - at - 2);
      const std::size_t colon = line.find(':');
      if (colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
        response.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
      }
      at = next;
    }
    if (!response.header("transfer-encoding").empty()) {
      throw Failure("the server sent Transfer-Encoding: " + response.header("transfer-encoding"));
    }
    if (head_request) return response;
    if (response.header("content-length").empty()) throw Failure("a response without Content-Length (" + purpose_ + ")");
    const std::size_t length = std::stoul(response.header("content-length"));
    while (buffer_.size() < length) {
      if (!read_more()) throw Failure("the connection closed before the whole body (" + purpose_ + ")");
    }
    response.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    return response;
  }

  Device& device_;
  std::string purpose_;
  Socket socket_;
  SslConfig config_;  // before ssl_, which uses it, so it goes after it
  SslContext ssl_;
  RecordWatch watch_;
  int verify_calls_ = 0;
  bool open_ = false;
  std::size_t plaintext_limit_ = kTlsMaxPlaintext;
  std::size_t encrypted_limit_ = kTlsMaxPlaintext;
  std::optional<std::size_t> report_index_;
  json::array requests_;
  std::string buffer_;
};

// ------------------------------------------------------------- the flow --

std::string hex(const unsigned char* bytes, std::size_t size) {
  static const char digits[] = "0123456789abcdef";
  std::string text;
  for (std::size_t i = 0; i < size; ++i) {
    text.push_back(digits[bytes[i] >> 4]);
    text.push_back(digits[bytes[i] & 15]);
  }
  return text;
}

// One request on a connection of its own, as the seed's sketch does
// (http.begin ... http.end).
HttpResponse one_shot(Device& device, const std::string& purpose, const std::string& method,
                      const std::string& target, const std::string& body = "") {
  Connection connection(device, purpose);
  return connection.request(method, target, "", body);
}

json::value parse_json(const std::string& what, const std::string& body) {
  boost::system::error_code error;
  json::value value = json::parse(body, error);
  if (error || !value.is_object()) throw Failure(what + " is not a JSON object: " + body);
  return value;
}

void register_device(Device& device, json::object& report) {
  const Options& options = device.options;
  const json::object body{{"device_id", options.device_id},
                          {"device_secret", options.secret},
                          {"pk_key", options.provisioning_key},
                          {"firmware_ver", options.current_version}};
  const HttpResponse response = one_shot(device, "register", "POST", "/api/register", json::serialize(body));
  report["register_status"] = response.status;
  if (response.status != 200) throw Failure("register answered " + std::to_string(response.status) + ": " + response.body);
}

// Polls check-update --polls times; the last answer.
json::object poll(Device& device, json::object& report) {
  const Options& options = device.options;
  const std::string target = "/api/check-update?device_id=" + options.device_id +
                             "&version=" + options.current_version + "&device_secret=" + options.secret;
  json::array statuses;
  json::value answer;
  for (int i = 0; i < options.polls; ++i) {
    const HttpResponse response = one_shot(device, "check-update", "GET", target);
    statuses.push_back(response.status);
    report["poll_statuses"] = statuses;
    if (response.status != 200) {
      throw Failure("check-update answered " + std::to_string(response.status) + ": " + response.body);
    }
    answer = parse_json("the check-update answer", response.body);
  }
  report["check_update"] = answer;
  return answer.as_object();
}

void send_ota_log(Device& device, const std::string& status, const std::string& to_version) {
  const Options& options = device.options;
  const json::object body{{"device_id", options.device_id}, {"device_secret", options.secret}, {"status", status},
                          {"from_version", options.current_version}, {"to_version", to_version}};
  const HttpResponse response = one_shot(device, "ota-log", "POST", "/api/ota-log", json::serialize(body));
  if (response.status != 200) throw Failure("ota-log answered " + std::to_string(response.status) + ": " + response.body);
}

// The path of an https URL on this server ("https://HOST:PORT/path").
std::string path_on_this_server(const Options& options, const std::string& url) {
  const std::string origin = "https://" + options.host + ":" + std::to_string(options.port);
  if (!url.starts_with(origin + "/")) throw Failure("the download url is not on " + origin + ": " + url);
  return url.substr(origin.size());
}

// esp_https_ota's partial download: HEAD for the size, then Range requests
// of `chunk` bytes, each written at its offset, on a kept-alive connection
// (a new one, offering the saved session, when the server closes it).
std::string download(Device& device, const std::string& url, json::object& report) {
  const Options& options = device.options;
  const std::string target = path_on_this_server(options, url);
  auto connection = std::make_unique<Connection>(device, "download");
  const HttpResponse head = connection->request("HEAD", target);
  json::object result{{"head_status", head.status}, {"x_md5", head.header("x-md5")}};
  report["download"] = result;
  if (head.status != 200 || head.header("content-length").empty()) {
    throw Failure("HEAD answered " + std::to_string(head.status) + " without a usable Content-Length");
  }
  const std::size_t size = std::stoul(head.header("content-length"));
  std::string image(size, '\0');
  json::array chunks;
  for (std::size_t start = 0; start < size; start += options.chunk) {
    const bool last = start + options.chunk >= size;
    const std::size_t end = last ? size - 1 : start + options.chunk - 1;
    const std::string range = "bytes=" + std::to_string(start) + "-" + (last ? "" : std::to_string(end));
    if (!connection->open()) connection = std::make_unique<Connection>(device, "download");
    const HttpResponse part = connection->request("GET", target, range);
    chunks.push_back(json::object{{"range", range},
                                  {"status", part.status},
                                  {"content_range", part.header("content-range")},
                                  {"bytes", part.body.size()}});
    result["chunks"] = chunks;
    report["download"] = result;
    const std::string expected_range =
        "bytes " + std::to_string(start) + "-" + std::to_string(end) + "/" + std::to_string(size);
    if (part.status != 206 || part.header("content-range") != expected_range || part.body.size() != end - start + 1) {
      throw Failure(range + " answered " + std::to_string(part.status) + " with Content-Range '" +
                    part.header("content-range") + "' and " + std::to_string(part.body.size()) + " bytes");
    }
    image.replace(start, part.body.size(), part.body);
  }
  result["size"] = image.size();
  report["download"] = result;
  return image;
}

void verify_image(const std::string& image, const json::object& offer, const std::string& x_md5,
                  json::object& report) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(image.data());
  unsigned char sha256[32];
  unsigned char md5[16];
  check_mbedtls(mbedtls_sha256_ret(bytes, image.size(), sha256, 0), "sha256");
  check_mbedtls(mbedtls_md5_ret(bytes, image.size(), md5), "md5");
  json::object& result = report["download"].as_object();
  result["sha256"] = hex(sha256, sizeof sha256);
  result["md5"] = hex(md5, sizeof md5);
  if (result["sha256"].as_string() != offer.at("sha256").as_string()) {
    throw Failure("the downloaded file's sha256 is not the one check-update announced");
  }
  if (offer.at("size").to_number<std::size_t>() != image.size()) throw Failure("the file's size is not the announced one");
  if (result["md5"].as_string() != x_md5) throw Failure("the downloaded file's MD5 is not its x-MD5 header");
}

void run(Device& device, json::object& report) {
  if (!device.options.provisioning_key.empty()) register_device(device, report);
  const json::object offer = poll(device, report);
  if (!offer.contains("update") || !offer.at("update").is_bool()) throw Failure("check-update without a bool update");
  if (!offer.at("update").as_bool()) return;
  const std::string version(offer.at("version").as_string());
  send_ota_log(device, "downloading", version);
  const std::string image = download(device, std::string(offer.at("url").as_string()), report);
  verify_image(image, offer, std::string(report["download"].as_object()["x_md5"].as_string()), report);
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  try {
    options = parse_options(argc, argv);
  } catch (const UsageError& error) {
    std::cerr << "mbedtls_ota_client: " << error.what() << "\n" << kUsage;
    return 2;
  }
  json::object report;
  int status = 0;
  std::unique_ptr<Device> device;
  try {
    device = std::make_unique<Device>(options);
    run(*device, report);
  } catch (const std::exception& error) {
    report["error"] = error.what();
    std::cerr << "mbedtls_ota_client: " << error.what() << "\n";
    status = 1;
  }
  if (device) report["connections"] = device->connections;
  report["ok"] = status == 0;
  std::cout << json::serialize(report) << "\n";
  return status;
}
