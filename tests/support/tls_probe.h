#pragma once
// Test support: HTTPS requests made with OpenSSL directly, each on a fresh
// TLS connection to 127.0.0.1 (from 127.0.0.1 or another loopback address),
// so a test sees what cpp-httplib hides: which
// certificate the server presented (its serial number) and whether the
// session offered was resumed. A TlsProbe verifies the server against one CA
// file and the address 127.0.0.1; it is safe to use from several threads.
// Nothing throws; a failure is reported in the result for the caller to
// assert.

#include <openssl/ssl.h>

#include <cstdint>
#include <memory>
#include <string>

namespace apiota::testing {

using TlsSessionPtr = std::shared_ptr<SSL_SESSION>;

struct TlsExchange {
  std::string error;  // empty when the request got a complete answer
  long serial = -1;   // of the certificate the server presented (the leaf)
  bool resumed = false;
  int status = 0;
  std::string body;
  TlsSessionPtr session;  // to offer on a later connection
};

class TlsProbe {
 public:
  explicit TlsProbe(const std::string& ca_file, std::string source_address = "127.0.0.1");
  ~TlsProbe();
  TlsProbe(const TlsProbe&) = delete;
  TlsProbe& operator=(const TlsProbe&) = delete;

  // GET `target` (with "Connection: close") on a new connection to `port`,
  // offering `session` when given; `before_handshake` (a PROXY protocol
  // header) is sent in clear first.
  TlsExchange get(std::uint16_t port, const std::string& target, const TlsSessionPtr& session = nullptr,
                  const std::string& before_handshake = "") const;

 private:
  SSL_CTX* ctx_;
  std::string source_address_;
};

}  // namespace apiota::testing
