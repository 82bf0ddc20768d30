#include "http/tls_stream.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <new>

namespace apiota::http {
namespace asio = boost::asio;

namespace {

// Bytes one read from the socket may bring: a whole TLS record of the
// largest size and its header.
constexpr std::size_t kInputBytes = 17 * 1024;
// What a record adds to its plaintext at most (header, explicit nonce or
// content type, AEAD tag), for reserving the output once per write.
constexpr std::size_t kRecordOverhead = 64;
constexpr std::size_t kRecordPlaintext = 16 * 1024;

// The error OpenSSL left for `result` of a call on `ssl`, as a TlsProgress.
TlsProgress after(SSL* ssl, int result) {
  TlsProgress progress;
  switch (SSL_get_error(ssl, result)) {
    case SSL_ERROR_WANT_READ:
      progress.next = TlsProgress::Next::NeedInput;
      return progress;
    case SSL_ERROR_ZERO_RETURN:
      progress.next = TlsProgress::Next::Failed;
      progress.error = asio::error::eof;
      return progress;
    case SSL_ERROR_SSL: {
      progress.next = TlsProgress::Next::Failed;
      progress.error = boost::system::error_code(static_cast<int>(ERR_get_error()), asio::error::get_ssl_category());
      ERR_clear_error();
      return progress;
    }
    default:
      // SSL_ERROR_SYSCALL and the like: the buffers never fail, so OpenSSL
      // saw the records end where they should not.
      progress.next = TlsProgress::Next::Failed;
      progress.error = asio::ssl::error::stream_truncated;
      return progress;
  }
}

}  // namespace

// OpenSSL's side of the stream's buffers: reading takes from `input`
// (asking to retry when it is empty), writing appends to `output`.
struct TlsStreamBio {
  static int write(BIO* bio, const char* data, int length) {
    auto* stream = static_cast<TlsStream*>(BIO_get_data(bio));
    BIO_clear_retry_flags(bio);
    if (length <= 0) return 0;
    const auto* bytes = reinterpret_cast<const unsigned char*>(data);
    stream->output_.insert(stream->output_.end(), bytes, bytes + length);
    return length;
  }

  static int read(BIO* bio, char* data, int length) {
    auto* stream = static_cast<TlsStream*>(BIO_get_data(bio));
    BIO_clear_retry_flags(bio);
    const std::size_t available = stream->input_end_ - stream->input_begin_;
    if (available == 0) {
      BIO_set_retry_read(bio);
      return -1;
    }
    const std::size_t n = std::min(available, static_cast<std::size_t>(std::max(length, 0)));
    std::memcpy(data, stream->input_.get() + stream->input_begin_, n);
    stream->input_begin_ += n;
    return static_cast<int>(n);
  }

  static long control(BIO* bio, int command, long, void*) {
    switch (command) {
      case BIO_CTRL_FLUSH:
        return 1;
      case BIO_CTRL_PENDING: {
        auto* stream = static_cast<TlsStream*>(BIO_get_data(bio));
        return static_cast<long>(stream->input_end_ - stream->input_begin_);
      }
      default:
        return 0;
    }
  }

  static int create(BIO* bio) {
    BIO_set_init(bio, 1);
    return 1;
  }

  static const BIO_METHOD* method() {
    static BIO_METHOD* const made = [] {
      BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "apiota TLS stream buffers");
      if (m == nullptr) throw std::bad_alloc();
      BIO_meth_set_write(m, write);
      BIO_meth_set_read(m, read);
      BIO_meth_set_ctrl(m, control);
      BIO_meth_set_create(m, create);
      return m;
    }();
    return made;
  }
};

TlsStream::TlsStream(boost::beast::tcp_stream&& tcp, SSL_CTX* context)
    : tcp_(std::move(tcp)), input_(std::make_unique_for_overwrite<unsigned char[]>(kInputBytes)) {
  ssl_ = SSL_new(context);
  if (ssl_ == nullptr) throw std::bad_alloc();
  BIO* bio = BIO_new(TlsStreamBio::method());
  if (bio == nullptr) {
    SSL_free(ssl_);
    throw std::bad_alloc();
  }
  BIO_set_data(bio, this);
  SSL_set_bio(ssl_, bio, bio);  // one reference, owned by the SSL object
  SSL_set_accept_state(ssl_);
  // Sends and receives are tried straight on the socket first.
  boost::system::error_code ignored;
  tcp_.socket().native_non_blocking(true, ignored);
}

TlsStream::~TlsStream() { SSL_free(ssl_); }

TlsStream::Transfer TlsStream::send_now(boost::system::error_code& ec) {
  while (has_output()) {
    const ssize_t n = ::send(tcp_.socket().native_handle(), output_.data() + output_sent_,
                             output_.size() - output_sent_, MSG_NOSIGNAL);
    if (n > 0) {
      output_sent_ += static_cast<std::size_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return Transfer::WouldBlock;
    } else {
      ec = boost::system::error_code(errno, boost::system::system_category());
      return Transfer::Failed;
    }
  }
  output_sent();
  return Transfer::Done;
}

TlsStream::Transfer TlsStream::receive_now(asio::mutable_buffer space, boost::system::error_code& ec) {
  for (;;) {
    const ssize_t n = ::recv(tcp_.socket().native_handle(), space.data(), space.size(), 0);
    if (n > 0) {
      input_arrived(static_cast<std::size_t>(n));
      return Transfer::Done;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return Transfer::WouldBlock;
    ec = n == 0 ? boost::system::error_code(asio::ssl::error::stream_truncated)
                : boost::system::error_code(errno, boost::system::system_category());
    return Transfer::Failed;
  }
}

bool TlsStream::preload(asio::const_buffer arrived) {
  if (arrived.size() > kInputBytes) return false;
  // An empty buffer may have no address at all, which memcpy must not get.
  if (arrived.size() > 0) std::memcpy(input_.get(), arrived.data(), arrived.size());
  input_begin_ = 0;
  input_end_ = arrived.size();
  return true;
}

TlsProgress TlsStream::too_much_preloaded() {
  return TlsProgress{TlsProgress::Next::Failed, 0, false, asio::error::message_size};
}

asio::mutable_buffer TlsStream::input_space() {
  // Not SSL_MODE_RELEASE_BUFFERS, which frees and allocates them for every
  // record of a short connection.
  if (answered_) SSL_free_buffers(ssl_);
  answered_ = false;
  // OpenSSL asks for more only once it has taken everything.
  input_begin_ = 0;
  input_end_ = 0;
  return asio::buffer(input_.get(), kInputBytes);
}

TlsProgress TlsStream::handshake_step() {
  ERR_clear_error();
  const int result = SSL_do_handshake(ssl_);
  if (result == 1) {
    // TLS 1.2 ends with the server's Finished, which the client waits for;
    // TLS 1.3 ends with tickets, which can go with the first answer.
    return TlsProgress{TlsProgress::Next::Done, 0, SSL_version(ssl_) != TLS1_3_VERSION, {}};
  }
  TlsProgress progress = after(ssl_, result);
  if (progress.next == TlsProgress::Next::Failed) failed_ = true;
  return progress;
}

TlsProgress TlsStream::read_step(asio::mutable_buffer into) {
  if (into.size() == 0) return TlsProgress{};
  ERR_clear_error();
  std::size_t n = 0;
  const int result = SSL_read_ex(ssl_, into.data(), std::min<std::size_t>(into.size(), INT_MAX), &n);
  if (result == 1) return TlsProgress{TlsProgress::Next::Done, n, false, {}};
  TlsProgress progress = after(ssl_, result);
  if (progress.next == TlsProgress::Next::Failed && progress.error != asio::error::eof) failed_ = true;
  return progress;
}

TlsProgress TlsStream::write_step(asio::const_buffer piece, std::size_t& written) {
  const std::size_t length = std::min(piece.size(), kMaxPlaintextPerWrite - written);
  if (length == 0) return TlsProgress{TlsProgress::Next::Done, written, send_after_write(), {}};
  const std::size_t records = (length + kRecordPlaintext - 1) / kRecordPlaintext;
  output_.reserve(output_.size() + length + records * kRecordOverhead);
  ERR_clear_error();
  std::size_t n = 0;
  const int result = SSL_write_ex(ssl_, piece.data(), length, &n);
  if (result == 1) {
    written += n;
    answered_ = true;
    return TlsProgress{TlsProgress::Next::Done, written, send_after_write(), {}};
  }
  TlsProgress progress = after(ssl_, result);
  if (progress.next == TlsProgress::Next::Failed) failed_ = true;
  return progress;
}

TlsProgress TlsStream::close_notify_step() {
  if (failed_ || !SSL_is_init_finished(ssl_)) return TlsProgress{};
  // The peer's close_notify is not waited for: marked as received.
  SSL_set_shutdown(ssl_, SSL_RECEIVED_SHUTDOWN);
  ERR_clear_error();
  if (SSL_shutdown(ssl_) < 0) {
    failed_ = true;
    return after(ssl_, -1);
  }
  return TlsProgress{TlsProgress::Next::Done, 0, true, {}};
}

}  // namespace apiota::http
