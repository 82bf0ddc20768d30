#include "http/tls_context.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/ssl/context.hpp>

#include <memory>

namespace apiota::http {
namespace ssl = boost::asio::ssl;

namespace {

// TLS 1.2 suites, strongest first; TLS 1.3 keeps OpenSSL's default three.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
constexpr const char* kGroups = "X25519:P-256:P-384";
constexpr long kSessionCacheSize = 100000;
constexpr unsigned char kSessionContext[] = "apiota";

// The newest OpenSSL error as text ("" when there is none), clearing the queue.
std::string openssl_reason() {
  unsigned long code = ERR_peek_last_error();
  ERR_clear_error();
  if (code == 0) return {};
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

[[noreturn]] void refuse(const std::string& file, const std::string& what) {
  const std::string reason = openssl_reason();
  throw TlsSetupError(file + ": " + what + (reason.empty() ? "" : " (" + reason + ")"));
}

// The private key in PEM file `path`; null when it cannot be read as one.
EVP_PKEY* read_key(const std::string& path) {
  std::unique_ptr<BIO, decltype(&BIO_free)> in(BIO_new_file(path.c_str(), "r"), &BIO_free);
  return in ? PEM_read_bio_PrivateKey(in.get(), nullptr, nullptr, nullptr) : nullptr;
}

void require_current(const std::string& file, X509* cert) {
  if (X509_cmp_current_time(X509_get0_notAfter(cert)) <= 0) refuse(file, "the certificate has expired");
  if (X509_cmp_current_time(X509_get0_notBefore(cert)) >= 0) refuse(file, "the certificate is not valid yet");
}

}  // namespace

std::shared_ptr<ssl::context> make_tls_context(const TlsFiles& files) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* ctx = context->native_handle();
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);
  if (SSL_CTX_set_cipher_list(ctx, kTls12Ciphers) != 1) refuse("TLS", "the cipher list was refused");
  if (SSL_CTX_set1_groups_list(ctx, kGroups) != 1) refuse("TLS", "the key exchange groups were refused");

  boost::system::error_code ec;
  context->use_certificate_chain_file(files.cert_file, ec);
  if (ec) refuse(files.cert_file, "cannot use it as a PEM certificate chain");
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(read_key(files.key_file), &EVP_PKEY_free);
  if (!key) refuse(files.key_file, "cannot read it as a PEM private key");
  if (SSL_CTX_use_PrivateKey(ctx, key.get()) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
    refuse(files.key_file, "the key is not the certificate's");
  }
  require_current(files.cert_file, SSL_CTX_get0_certificate(ctx));

  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_SERVER);
  SSL_CTX_sess_set_cache_size(ctx, kSessionCacheSize);
  SSL_CTX_set_timeout(ctx, static_cast<long>(std::chrono::seconds(kTlsSessionLifetime).count()));
  SSL_CTX_set_session_id_context(ctx, kSessionContext, sizeof kSessionContext - 1);
  return context;
}

}  // namespace apiota::http
