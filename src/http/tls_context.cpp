#include "http/tls_context.h"

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/ssl/context.hpp>

#include <cstring>
#include <memory>

#include "http/tls_ticket_keys.h"

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

// Where a context keeps its TlsTicketKeys (asio keeps its own state in the
// context's app data).
int ticket_keys_index() {
  static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

bool use_mac_key(EVP_MAC_CTX* mac, const TicketKey& key) {
  char digest[] = "SHA256";
  auto* mac_key = const_cast<std::uint8_t*>(key.mac_key.data());
  OSSL_PARAM params[] = {OSSL_PARAM_construct_octet_string(OSSL_MAC_PARAM_KEY, mac_key, key.mac_key.size()),
                         OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                         OSSL_PARAM_construct_end()};
  return EVP_MAC_CTX_set_params(mac, params) == 1;
}

// OpenSSL's ticket callback: seals (`seal` 1) a ticket under the current
// key, naming it; opens one under the key it names. Returns 1 (done), 2
// (opened, seal a new one), 0 (unknown key: full handshake) or -1 (error).
int seal_or_open_ticket(SSL* ssl, unsigned char* key_name, unsigned char* iv, EVP_CIPHER_CTX* cipher,
                        EVP_MAC_CTX* mac, int seal) {
  auto* keys = static_cast<TlsTicketKeys*>(SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), ticket_keys_index()));
  const auto now = std::chrono::steady_clock::now();
  if (seal == 1) {
    const TicketKey key = keys->sealing_key(now);
    if (RAND_bytes(iv, EVP_CIPHER_get_iv_length(EVP_aes_256_cbc())) != 1) return -1;
    std::memcpy(key_name, key.name.data(), key.name.size());
    if (EVP_EncryptInit_ex(cipher, EVP_aes_256_cbc(), nullptr, key.cipher_key.data(), iv) != 1) return -1;
    return use_mac_key(mac, key) ? 1 : -1;
  }
  std::array<std::uint8_t, 16> name;
  std::memcpy(name.data(), key_name, name.size());
  const auto opening = keys->opening_key(name, now);
  if (!opening) return 0;
  if (!use_mac_key(mac, opening->key)) return -1;
  if (EVP_DecryptInit_ex(cipher, EVP_aes_256_cbc(), nullptr, opening->key.cipher_key.data(), iv) != 1) return -1;
  return opening->renew ? 2 : 1;
}

void require_current(const std::string& file, X509* cert) {
  if (X509_cmp_current_time(X509_get0_notAfter(cert)) <= 0) refuse(file, "the certificate has expired");
  if (X509_cmp_current_time(X509_get0_notBefore(cert)) >= 0) refuse(file, "the certificate is not valid yet");
}

}  // namespace

std::shared_ptr<ssl::context> make_tls_context(const TlsFiles& files, std::shared_ptr<TlsTicketKeys> tickets) {
  TlsTicketKeys* keys = tickets.get();
  std::shared_ptr<ssl::context> context(new ssl::context(ssl::context::tls_server),
                                        [tickets = std::move(tickets)](ssl::context* c) { delete c; });
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
  if (SSL_CTX_set_ex_data(ctx, ticket_keys_index(), keys) != 1 ||
      SSL_CTX_set_tlsext_ticket_key_evp_cb(ctx, seal_or_open_ticket) != 1) {
    refuse("TLS", "the session ticket keys were refused");
  }
  return context;
}

std::string describe_certificate(ssl::context& context) {
  X509* cert = SSL_CTX_get0_certificate(context.native_handle());
  if (cert == nullptr) return "no certificate";
  std::unique_ptr<BIO, decltype(&BIO_free)> out(BIO_new(BIO_s_mem()), &BIO_free);
  if (!out) return "a certificate";
  X509_NAME_print_ex(out.get(), X509_get_subject_name(cert), 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB);
  BIO_puts(out.get(), ", valid until ");
  ASN1_TIME_print(out.get(), X509_get0_notAfter(cert));
  char* text = nullptr;
  const long length = BIO_get_mem_data(out.get(), &text);
  return std::string(text, static_cast<std::size_t>(length));
}

}  // namespace apiota::http
