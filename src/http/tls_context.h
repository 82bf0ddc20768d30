#pragma once
// The server's TLS settings (docs/tls.md): an OpenSSL server context made
// from a PEM certificate chain (leaf first) and its private key, RSA or
// ECDSA. TLS 1.2 and 1.3 only; for TLS 1.2 the ECDHE suites with AES-GCM or
// ChaCha20-Poly1305 (what ESP-IDF's mbedTLS offers by default), the server's
// order preferred. Sessions resume by ticket and by the server's session
// cache for kTlsSessionLifetime, so a device polling every few minutes skips
// the full handshake; tickets are sealed by the TlsTicketKeys given, which
// every context of the server shares (a certificate reload keeps them). A
// client's Max Fragment Length extension is honoured (OpenSSL does so for
// every server context).
//
// One context serves every I/O thread (OpenSSL contexts are thread-safe), so
// tickets and cached sessions work whichever thread a device reaches.

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>

namespace boost::asio::ssl {
class context;
}

namespace apiota::http {

inline constexpr std::chrono::hours kTlsSessionLifetime{24};
// How long one ticket key seals new tickets before the next takes over.
inline constexpr std::chrono::hours kTlsTicketKeyRotation{12};

class TlsTicketKeys;

struct TlsFiles {
  std::string cert_file;  // PEM: the certificate, then its chain
  std::string key_file;   // PEM: the certificate's private key
};

// A certificate or key that cannot serve: unreadable, not PEM, a key that is
// not the certificate's, a certificate expired or not yet valid. what()
// names the file and the reason.
class TlsSetupError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Builds the context from `files`, sealing tickets with `tickets` (kept
// alive by the context); throws TlsSetupError.
std::shared_ptr<boost::asio::ssl::context> make_tls_context(const TlsFiles& files,
                                                            std::shared_ptr<TlsTicketKeys> tickets);

// "SUBJECT, valid until DATE" of the certificate `context` serves, for the
// log (subject in OpenSSL's one-line form, e.g. "CN=ota.example.com").
std::string describe_certificate(boost::asio::ssl::context& context);

}  // namespace apiota::http
