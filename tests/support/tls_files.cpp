#include "support/tls_files.h"

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <functional>
#include <memory>
#include <stdexcept>

namespace apiota::testing {
namespace {

struct KeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct CertFree {
  void operator()(X509* c) const { X509_free(c); }
};
using Key = std::unique_ptr<EVP_PKEY, KeyFree>;
using Cert = std::unique_ptr<X509, CertFree>;

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("make_tls_files: ") + what);
}

Key new_key(TlsKeyType type) {
  Key key(type == TlsKeyType::EcdsaP256 ? EVP_EC_gen("P-256") : EVP_RSA_gen(2048));
  check(key != nullptr, "key generation failed");
  return key;
}

void add_extension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  check(ext != nullptr, "bad extension");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

// A certificate for `subject_key` named `common_name`, signed by `issuer`
// with `issuer_key` (itself when issuer is null).
Cert new_cert(EVP_PKEY* subject_key, const char* common_name, X509* issuer, EVP_PKEY* issuer_key, long serial,
              int from_days, int to_days, bool is_ca) {
  Cert cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
  X509_time_adj_ex(X509_getm_notBefore(cert.get()), from_days, 0, nullptr);
  X509_time_adj_ex(X509_getm_notAfter(cert.get()), to_days, 0, nullptr);
  X509_set_pubkey(cert.get(), subject_key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(common_name), -1, -1,
                             0);
  X509* signer = issuer ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
  if (is_ca) {
    add_extension(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
    add_extension(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    add_extension(cert.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
    add_extension(cert.get(), signer, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
  }
  check(X509_sign(cert.get(), issuer_key, EVP_sha256()) > 0, "signing failed");
  return cert;
}

void write_pem(const std::filesystem::path& file, const std::function<bool(FILE*)>& write) {
  FILE* out = std::fopen(file.c_str(), "w");
  check(out != nullptr, "cannot write a file");
  const bool ok = write(out);
  std::fclose(out);
  check(ok, "PEM write failed");
}

void write_leaf(const TlsFiles& files, X509* cert, EVP_PKEY* key, X509* ca) {
  write_pem(files.cert_file, [&](FILE* f) { return PEM_write_X509(f, cert) == 1 && PEM_write_X509(f, ca) == 1; });
  write_pem(files.key_file,
            [&](FILE* f) { return PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr) == 1; });
}

template <class T>
T read_pem(const std::string& file, T (*read)(FILE*)) {
  FILE* in = std::fopen(file.c_str(), "r");
  check(in != nullptr, "cannot read a file");
  T value = read(in);
  std::fclose(in);
  check(value != nullptr, "PEM read failed");
  return value;
}

}  // namespace

TlsFiles make_tls_files(const std::filesystem::path& folder, const std::string& name, TlsKeyType type,
                        int valid_from_days, int valid_to_days) {
  std::filesystem::create_directories(folder);
  Key ca_key = new_key(TlsKeyType::EcdsaP256);
  Cert ca = new_cert(ca_key.get(), "apiota test CA", nullptr, ca_key.get(), 1, -1, 365, true);
  Key key = new_key(type);
  Cert cert = new_cert(key.get(), "localhost", ca.get(), ca_key.get(), 2, valid_from_days, valid_to_days, false);

  TlsFiles files{(folder / (name + "-ca.pem")).string(), (folder / (name + "-cert.pem")).string(),
                 (folder / (name + "-key.pem")).string(), (folder / (name + "-ca-key.pem")).string()};
  write_pem(files.ca_file, [&](FILE* f) { return PEM_write_X509(f, ca.get()) == 1; });
  write_pem(files.ca_key_file, [&](FILE* f) {
    return PEM_write_PrivateKey(f, ca_key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1;
  });
  write_leaf(files, cert.get(), key.get(), ca.get());
  return files;
}

TlsFiles renew_tls_files(const TlsFiles& issued, const std::filesystem::path& folder, const std::string& name,
                         long serial) {
  Cert ca(read_pem<X509*>(issued.ca_file, [](FILE* f) { return PEM_read_X509(f, nullptr, nullptr, nullptr); }));
  Key ca_key(read_pem<EVP_PKEY*>(issued.ca_key_file,
                                 [](FILE* f) { return PEM_read_PrivateKey(f, nullptr, nullptr, nullptr); }));
  Key key = new_key(TlsKeyType::EcdsaP256);
  Cert cert = new_cert(key.get(), "localhost", ca.get(), ca_key.get(), serial, -1, 30, false);
  TlsFiles files{issued.ca_file, (folder / (name + "-cert.pem")).string(), (folder / (name + "-key.pem")).string(),
                 issued.ca_key_file};
  write_leaf(files, cert.get(), key.get(), ca.get());
  return files;
}

}  // namespace apiota::testing
