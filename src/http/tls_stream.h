#pragma once
// The server side of one TLS connection over a Beast TCP stream. OpenSSL
// runs over two buffers of the stream's own: records read from the socket
// wait in `input` until OpenSSL takes them, and records OpenSSL makes
// gather in `output` until the stream sends them, so a 64 KiB write leaves
// in one send and a handshake flight in one. Sends and reads are tried on
// the socket at once; only a wait for the socket goes through the TCP
// stream, whose expiry (set by the caller, as for plain connections) bounds
// it. This replaces Asio's SSL stream, whose BIO pair copied every record
// twice through four 17 KB buffers per connection.
//
// Models Asio's AsyncReadStream and AsyncWriteStream; one read and one write
// may be in flight, not two of either. Every operation completes through the
// stream's executor, never inside the call that starts it. Errors: an
// OpenSSL failure in asio::error::get_ssl_category(); the peer's close_notify
// as asio::error::eof; the connection ending without one as
// asio::ssl::error::stream_truncated; the TCP stream's own (a timeout).

#include <openssl/ssl.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

#include "http/beast_pch.h"

namespace apiota::http {

// Where one call into OpenSSL left an operation.
struct TlsProgress {
  enum class Next { Done, NeedInput, Failed };
  Next next = Next::Done;
  std::size_t bytes = 0;              // plaintext read or written
  bool flush = false;                 // Done: send what is in `output` before completing
  boost::system::error_code error;    // Failed
};

class TlsStream {
 public:
  using executor_type = boost::beast::tcp_stream::executor_type;
  using next_layer_type = boost::beast::tcp_stream;

  // Takes over `tcp` for a session under `context` (the SSL object holds
  // its own reference to it). Throws std::bad_alloc when OpenSSL cannot.
  TlsStream(boost::beast::tcp_stream&& tcp, SSL_CTX* context);
  ~TlsStream();
  TlsStream(const TlsStream&) = delete;
  TlsStream& operator=(const TlsStream&) = delete;

  executor_type get_executor() noexcept { return tcp_.get_executor(); }
  next_layer_type& next_layer() noexcept { return tcp_; }

  // The handshake, as the server. `arrived`: bytes already read off the
  // connection (after a PROXY header), the client's first; more than one
  // read's worth fails with asio::error::message_size. Completes with
  // (error_code, 0). A TLS 1.3 session's tickets wait for the first write.
  template <class Token>
  auto async_handshake(boost::asio::const_buffer arrived, Token&& token) {
    const bool fits = preload(arrived);
    return run([fits](TlsStream& s) { return fits ? s.handshake_step() : too_much_preloaded(); },
               std::forward<Token>(token));
  }

  // Reads plaintext into the first non-empty buffer of `buffers`.
  template <class MutableBuffers, class Token>
  auto async_read_some(const MutableBuffers& buffers, Token&& token) {
    const boost::asio::mutable_buffer into = boost::beast::buffers_front(buffers);
    return run([into](TlsStream& s) { return s.read_step(into); }, std::forward<Token>(token));
  }

  // Encrypts up to kMaxPlaintextPerWrite of `buffers` and sends it; completes
  // once it has left (or failed).
  template <class ConstBuffers, class Token>
  auto async_write_some(const ConstBuffers& buffers, Token&& token) {
    return run(
        [buffers, written = std::size_t{0}](TlsStream& s) mutable {
          // Run again after waiting for input, it goes on where it stopped.
          std::size_t skip = written;
          for (boost::asio::const_buffer piece : boost::beast::buffers_range_ref(buffers)) {
            if (written >= kMaxPlaintextPerWrite) break;
            if (skip >= piece.size()) {
              skip -= piece.size();
              continue;
            }
            piece += skip;
            skip = 0;
            TlsProgress progress = s.write_step(piece, written);
            if (progress.next != TlsProgress::Next::Done) return progress;
          }
          return TlsProgress{TlsProgress::Next::Done, written, s.send_after_write(), {}};
        },
        std::forward<Token>(token));
  }

  // The connection closes after the coming writes: up to kMaxHeldOutput of
  // what they encrypt waits and leaves with close_notify, in one send.
  void closing_after_writes() { closing_ = true; }

  // Sends close_notify without waiting for the peer's (one-sided, as nginx
  // does), after anything still held. Nothing is sent after a failed
  // handshake or a fatal error.
  template <class Token>
  auto async_close_notify(Token&& token) {
    return run([](TlsStream& s) { return s.close_notify_step(); }, std::forward<Token>(token));
  }

  // The plaintext one write takes at most; asio::async_write loops for more.
  static constexpr std::size_t kMaxPlaintextPerWrite = 128 * 1024;
  // The most output closing_after_writes() holds back.
  static constexpr std::size_t kMaxHeldOutput = 64 * 1024;

 private:
  template <class Step>
  class Operation;

  template <class Step, class Token>
  auto run(Step step, Token&& token) {
    return boost::asio::async_compose<Token, void(boost::system::error_code, std::size_t)>(
        Operation<Step>(*this, std::move(step)), token, tcp_);
  }

  // The steps: one call into OpenSSL each, repeated by Operation until Done.
  TlsProgress handshake_step();
  TlsProgress read_step(boost::asio::mutable_buffer into);
  // Encrypts `piece` (at most what keeps `written` within
  // kMaxPlaintextPerWrite) and adds it to `written`.
  TlsProgress write_step(boost::asio::const_buffer piece, std::size_t& written);
  TlsProgress close_notify_step();
  static TlsProgress too_much_preloaded();
  bool preload(boost::asio::const_buffer arrived);

  // Where the next read from the socket goes. After an answer (a
  // keep-alive connection waiting for its next request) OpenSSL's record
  // buffers are freed first.
  boost::asio::mutable_buffer input_space();
  void input_arrived(std::size_t n) { input_end_ += n; }
  bool has_output() const { return output_sent_ < output_.size(); }
  // Whether a write sends its output now, or holds it for close_notify.
  bool send_after_write() const { return !closing_ || output_.size() > kMaxHeldOutput; }
  boost::asio::const_buffer pending_output() const {
    return boost::asio::buffer(output_.data() + output_sent_, output_.size() - output_sent_);
  }
  void output_sent() {
    output_.clear();
    output_sent_ = 0;
  }

  // One non-blocking send or receive on the socket, not waiting for it.
  enum class Transfer { Done, WouldBlock, Failed };
  // Sends what it can of the output; Done once all of it has left.
  Transfer send_now(boost::system::error_code& ec);
  // Receives into `space` (input_space()); Done when some bytes came. The
  // connection closed is stream_truncated (a close_notify would have been read).
  Transfer receive_now(boost::asio::mutable_buffer space, boost::system::error_code& ec);

  // The BIO OpenSSL reads and writes records through (tls_stream.cpp).
  friend struct TlsStreamBio;

  boost::beast::tcp_stream tcp_;
  SSL* ssl_ = nullptr;
  bool failed_ = false;    // a fatal error: no close_notify may follow
  bool closing_ = false;   // closing_after_writes()
  bool answered_ = false;  // a write since the last read from the socket
  std::unique_ptr<unsigned char[]> input_;
  std::size_t input_begin_ = 0;
  std::size_t input_end_ = 0;
  std::vector<unsigned char> output_;
  std::size_t output_sent_ = 0;  // the first bytes of output_ already sent
};

// Runs a step until it is Done or Failed: before waiting for input it sends
// what OpenSSL wrote (a handshake flight), and after Done it sends the rest
// when the step asks to. Sends and reads go straight to the socket first;
// only when it would block does the operation wait through the TCP stream
// (whose expiry then bounds the wait), so an exchange the socket can take at
// once costs no timer and no trip round the event loop.
template <class Step>
class TlsStream::Operation {
 public:
  Operation(TlsStream& stream, Step step) : stream_(stream), step_(std::move(step)) {}

  template <class Self>
  void operator()(Self& self, boost::system::error_code ec = {}, std::size_t n = 0) {
    switch (waiting_) {
      case Waiting::Nothing:
        return run(self);
      case Waiting::Posted:
        return self.complete(progress_.error, progress_.bytes);
      case Waiting::Output:
        if (ec) return fail(self, ec);
        stream_.output_sent();
        if (progress_.next == TlsProgress::Next::Done) return self.complete({}, progress_.bytes);
        if (read(self)) run(self);
        return;
      case Waiting::Input:
        if (ec == boost::asio::error::eof) ec = boost::asio::ssl::error::stream_truncated;
        if (ec) return fail(self, ec);
        stream_.input_arrived(n);
        return run(self);
    }
  }

 private:
  enum class Waiting { Nothing, Posted, Output, Input };

  template <class Self>
  void run(Self& self) {
    for (;;) {
      progress_ = step_(stream_);
      const bool need_input = progress_.next == TlsProgress::Next::NeedInput;
      const bool done_sending = progress_.next == TlsProgress::Next::Done && progress_.flush;
      if ((need_input || done_sending) && stream_.has_output() && !send(self)) return;
      if (!need_input) break;
      if (!read(self)) return;
    }
    finish(self);
  }

  // Sends the output; false when the operation goes on later (waiting for
  // the socket) or has failed.
  template <class Self>
  bool send(Self& self) {
    boost::system::error_code ec;
    if (auto went = went_at_once(self, stream_.send_now(ec), ec)) return *went;
    waiting_ = Waiting::Output;
    boost::asio::async_write(stream_.tcp_, stream_.pending_output(), std::move(self));
    return false;
  }

  // Reads more input; false when the operation goes on later or has failed.
  template <class Self>
  bool read(Self& self) {
    const boost::asio::mutable_buffer space = stream_.input_space();
    boost::system::error_code ec;
    if (auto went = went_at_once(self, stream_.receive_now(space, ec), ec)) return *went;
    waiting_ = Waiting::Input;
    stream_.tcp_.async_read_some(space, std::move(self));
    return false;
  }

  // A transfer tried on the socket at once: true when it went through,
  // false when it failed (the operation then fails), nothing when the
  // socket would block and the operation must wait for it.
  template <class Self>
  std::optional<bool> went_at_once(Self& self, Transfer transfer, boost::system::error_code ec) {
    if (transfer == Transfer::WouldBlock) return std::nullopt;
    if (transfer == Transfer::Failed) fail(self, ec);
    return transfer == Transfer::Done;
  }

  template <class Self>
  void fail(Self& self, boost::system::error_code ec) {
    stream_.failed_ = true;
    progress_ = TlsProgress{TlsProgress::Next::Failed, 0, false, ec};
    finish(self);
  }

  // Completes with progress_, through the executor when nothing has been
  // waited for yet: never inside the call that started the operation.
  template <class Self>
  void finish(Self& self) {
    if (waiting_ != Waiting::Nothing) return self.complete(progress_.error, progress_.bytes);
    waiting_ = Waiting::Posted;
    boost::asio::post(stream_.get_executor(), std::move(self));
  }

  TlsStream& stream_;
  Step step_;
  Waiting waiting_ = Waiting::Nothing;
  TlsProgress progress_;
};

}  // namespace apiota::http
