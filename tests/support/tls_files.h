#pragma once
// Test support: certificates for TLS tests, made with OpenSSL in a folder.
// make_tls_files() writes a test CA (NAME-ca.pem) and a server certificate it
// signed for "localhost" and 127.0.0.1 (NAME-cert.pem: the certificate then
// the CA, as a full chain; NAME-key.pem: its private key), valid from
// `valid_from_days` to `valid_to_days` days from now (negative: in the past),
// serial number 2. The CA's key is kept too (NAME-ca-key.pem), so that
// renew_tls_files() can issue a successor.

#include <filesystem>
#include <string>

namespace apiota::testing {

enum class TlsKeyType { EcdsaP256, Rsa2048 };

struct TlsFiles {
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
  std::string ca_key_file;
};

TlsFiles make_tls_files(const std::filesystem::path& folder, const std::string& name,
                        TlsKeyType type = TlsKeyType::EcdsaP256, int valid_from_days = -1, int valid_to_days = 30);

// A new certificate and key signed by the CA of `issued` (the same ca_file),
// as a renewal would be: NAME-cert.pem and NAME-key.pem in `folder`, with
// serial number `serial`.
TlsFiles renew_tls_files(const TlsFiles& issued, const std::filesystem::path& folder, const std::string& name,
                         long serial);

}  // namespace apiota::testing
