#include "support/tls_probe.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <stdexcept>

namespace apiota::testing {
namespace {

std::string openssl_error(const char* what) {
  char text[256] = "";
  ERR_error_string_n(ERR_get_error(), text, sizeof text);
  ERR_clear_error();
  return std::string(what) + ": " + text;
}

// A blocking TCP connection from `source` to 127.0.0.1:port with 10 s
// send/receive limits; -1 on failure.
int connect_loopback(const std::string& source, std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in from{};
  from.sin_family = AF_INET;
  if (::inet_pton(AF_INET, source.c_str(), &from.sin_addr) != 1 ||
      ::bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0) {
    ::close(fd);
    return -1;
  }
  timeval limit{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

TlsProbe::TlsProbe(const std::string& ca_file, std::string source_address)
    : ctx_(SSL_CTX_new(TLS_client_method())), source_address_(std::move(source_address)) {
  if (ctx_ == nullptr || SSL_CTX_load_verify_locations(ctx_, ca_file.c_str(), nullptr) != 1) {
    throw std::runtime_error(openssl_error("TlsProbe"));
  }
  SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
  SSL_CTX_set_session_cache_mode(ctx_, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
}

TlsProbe::~TlsProbe() { SSL_CTX_free(ctx_); }

TlsExchange TlsProbe::get(std::uint16_t port, const std::string& target, const TlsSessionPtr& session,
                          const std::string& before_handshake) const {
  TlsExchange out;
  const int fd = connect_loopback(source_address_, port);
  if (fd < 0) {
    out.error = "connect failed";
    return out;
  }
  if (!before_handshake.empty() &&
      ::send(fd, before_handshake.data(), before_handshake.size(), MSG_NOSIGNAL) !=
          static_cast<ssize_t>(before_handshake.size())) {
    ::close(fd);
    out.error = "sending the bytes before the handshake failed";
    return out;
  }
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(ctx_), &SSL_free);
  X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl.get()), "127.0.0.1");
  SSL_set_fd(ssl.get(), fd);
  if (session) SSL_set_session(ssl.get(), session.get());
  if (SSL_connect(ssl.get()) != 1) {
    out.error = openssl_error("handshake");
  } else {
    out.resumed = SSL_session_reused(ssl.get()) == 1;
    if (X509* cert = SSL_get0_peer_certificate(ssl.get())) out.serial = ASN1_INTEGER_get(X509_get0_serialNumber(cert));
    const std::string request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    std::string response;
    if (SSL_write(ssl.get(), request.data(), static_cast<int>(request.size())) > 0) {
      char chunk[16384];
      int n;
      while ((n = SSL_read(ssl.get(), chunk, sizeof chunk)) > 0) response.append(chunk, static_cast<std::size_t>(n));
    }
    ERR_clear_error();
    const auto head_end = response.find("\r\n\r\n");
    if (response.starts_with("HTTP/1.1 ") && head_end != std::string::npos) {
      out.status = std::stoi(response.substr(9, 3));
      out.body = response.substr(head_end + 4);
    } else {
      out.error = "no complete answer: " + response.substr(0, 200);
    }
    // TLS 1.3 tickets arrive after the handshake: the session is taken once
    // the answer has been read.
    out.session = TlsSessionPtr(SSL_get1_session(ssl.get()), &SSL_SESSION_free);
    SSL_shutdown(ssl.get());
  }
  ::close(fd);
  return out;
}

}  // namespace apiota::testing
