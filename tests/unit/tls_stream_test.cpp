// TlsStream against a blocking OpenSSL client on a loopback connection: the
// handshake (with bytes read before it), reads into small buffers, writes of
// several buffers larger than one write takes, and how the session ends.
#include "http/tls_stream.h"

#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "http/tls_context.h"
#include "http/tls_ticket_keys.h"
#include "support/tls_files.h"

namespace apiota::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::ip::tcp;

class TlsStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = std::filesystem::temp_directory_path() /
              ("apiota-tls-stream-" + std::to_string(::getpid()) + "-" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(folder_);
    files_ = testing::make_tls_files(folder_, "server");
    auto keys = std::make_shared<TlsTicketKeys>(std::chrono::hours(12), std::chrono::hours(24));
    context_ = make_tls_context({files_.cert_file, files_.key_file}, keys);
    client_context_.reset(SSL_CTX_new(TLS_client_method()));
    ASSERT_EQ(SSL_CTX_load_verify_locations(client_context_.get(), files_.ca_file.c_str(), nullptr), 1);
    SSL_CTX_set_verify(client_context_.get(), SSL_VERIFY_PEER, nullptr);
  }
  void TearDown() override { std::filesystem::remove_all(folder_); }

  // Runs `server` on an accepted connection while `client` runs on a
  // blocking socket connected to it in another thread.
  void run(std::function<asio::awaitable<void>(tcp::socket)> server, std::function<void(int fd)> client) {
    asio::io_context io;
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    const auto port = acceptor.local_endpoint().port();
    std::thread peer([&] {
      asio::io_context client_io;
      tcp::socket socket(client_io);
      socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
      client(socket.native_handle());
    });
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
          tcp::socket accepted = co_await acceptor.async_accept(asio::use_awaitable);
          co_await server(std::move(accepted));
        },
        [](std::exception_ptr e) {
          if (e) std::rethrow_exception(e);
        });
    io.run_for(std::chrono::seconds(20));
    peer.join();
  }

  // A verifying client session on `fd`, handshake done.
  std::unique_ptr<SSL, decltype(&SSL_free)> connect_client(int fd, int max_version = 0) {
    std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(client_context_.get()), SSL_free);
    if (max_version != 0) SSL_set_max_proto_version(ssl.get(), max_version);
    SSL_set_fd(ssl.get(), fd);
    SSL_set1_host(ssl.get(), "localhost");
    EXPECT_EQ(SSL_connect(ssl.get()), 1);
    return ssl;
  }

  TlsStream make_stream(tcp::socket socket) { return TlsStream(beast::tcp_stream(std::move(socket)), context_->native_handle()); }

  std::filesystem::path folder_;
  testing::TlsFiles files_;
  std::shared_ptr<asio::ssl::context> context_;
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> client_context_{nullptr, SSL_CTX_free};
};

std::string read_all(SSL* ssl, int& last_error) {
  std::string got;
  char chunk[4096];
  for (;;) {
    const int n = SSL_read(ssl, chunk, sizeof chunk);
    if (n <= 0) {
      last_error = SSL_get_error(ssl, n);
      return got;
    }
    got.append(chunk, static_cast<std::size_t>(n));
  }
}

TEST_F(TlsStreamTest, ReadsInSmallPiecesWritesSeveralLargeBuffersAndEndsWithCloseNotify) {
  const std::string request(40000, 'q');
  const std::string head = "head:";
  const std::string body(TlsStream::kMaxPlaintextPerWrite * 2 + 123, 'b');
  const std::string tail = ":tail";
  std::string received;
  std::string client_got;
  int client_end = 0;
  for (int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    received.clear();
    run(
        [&](tcp::socket socket) -> asio::awaitable<void> {
          TlsStream stream = make_stream(std::move(socket));
          auto [ec, n] = co_await stream.async_handshake(asio::const_buffer(), asio::as_tuple(asio::use_awaitable));
          EXPECT_FALSE(ec) << ec.message();
          char piece[7];
          while (received.size() < request.size()) {
            std::size_t got = co_await stream.async_read_some(asio::buffer(piece), asio::use_awaitable);
            received.append(piece, got);
          }
          const std::array<asio::const_buffer, 3> reply{asio::buffer(head), asio::buffer(body), asio::buffer(tail)};
          co_await asio::async_write(stream, reply, asio::use_awaitable);
          co_await stream.async_close_notify(asio::use_awaitable);
          beast::get_lowest_layer(stream).close();
        },
        [&](int fd) {
          auto ssl = connect_client(fd, version);
          ASSERT_EQ(SSL_write(ssl.get(), request.data(), static_cast<int>(request.size())),
                    static_cast<int>(request.size()));
          client_got = read_all(ssl.get(), client_end);
        });
    EXPECT_EQ(received, request) << version;
    EXPECT_EQ(client_got, head + body + tail) << version;
    EXPECT_EQ(client_end, SSL_ERROR_ZERO_RETURN) << "the session must end with close_notify, version " << version;
  }
}

TEST_F(TlsStreamTest, ThePeersCloseNotifyReadsAsEofAndABareCloseAsTruncated) {
  for (bool with_close_notify : {true, false}) {
    boost::system::error_code read_error;
    run(
        [&](tcp::socket socket) -> asio::awaitable<void> {
          TlsStream stream = make_stream(std::move(socket));
          co_await stream.async_handshake(asio::const_buffer(), asio::use_awaitable);
          char byte;
          std::tie(read_error, std::ignore) =
              co_await stream.async_read_some(asio::buffer(&byte, 1), asio::as_tuple(asio::use_awaitable));
        },
        [&](int fd) {
          auto ssl = connect_client(fd);
          if (with_close_notify) SSL_shutdown(ssl.get());
          ::shutdown(fd, SHUT_RDWR);
        });
    if (with_close_notify) {
      EXPECT_EQ(read_error, asio::error::eof);
    } else {
      EXPECT_EQ(read_error, asio::ssl::error::stream_truncated);
    }
  }
}

TEST_F(TlsStreamTest, BytesReadBeforeTheHandshakeAreItsFirst) {
  std::string received;
  run(
      [&](tcp::socket socket) -> asio::awaitable<void> {
        // Part of the ClientHello, as a PROXY header reader may leave it.
        std::array<char, 10> early{};
        co_await asio::async_read(socket, asio::buffer(early), asio::use_awaitable);
        TlsStream stream = make_stream(std::move(socket));
        co_await stream.async_handshake(asio::buffer(early), asio::use_awaitable);
        std::array<char, 16> text{};
        std::size_t n = co_await stream.async_read_some(asio::buffer(text), asio::use_awaitable);
        received.assign(text.data(), n);
        co_await stream.async_close_notify(asio::use_awaitable);
      },
      [&](int fd) {
        auto ssl = connect_client(fd);
        SSL_write(ssl.get(), "hello", 5);
        int end = 0;
        read_all(ssl.get(), end);
      });
  EXPECT_EQ(received, "hello");
}

TEST_F(TlsStreamTest, PlainHttpFailsTheHandshakeAndGetsNoBytesBackNorCloseNotify) {
  boost::system::error_code handshake_error;
  boost::system::error_code notify_error;
  std::string answer;
  run(
      [&](tcp::socket socket) -> asio::awaitable<void> {
        TlsStream stream = make_stream(std::move(socket));
        std::tie(handshake_error, std::ignore) =
            co_await stream.async_handshake(asio::const_buffer(), asio::as_tuple(asio::use_awaitable));
        std::tie(notify_error, std::ignore) =
            co_await stream.async_close_notify(asio::as_tuple(asio::use_awaitable));
        beast::get_lowest_layer(stream).close();
      },
      [&](int fd) {
        const std::string request = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
        ASSERT_EQ(::send(fd, request.data(), request.size(), 0), static_cast<ssize_t>(request.size()));
        char chunk[256];
        for (ssize_t n; (n = ::recv(fd, chunk, sizeof chunk, 0)) > 0;) answer.append(chunk, static_cast<std::size_t>(n));
      });
  EXPECT_EQ(handshake_error.category(), asio::error::get_ssl_category()) << handshake_error.message();
  EXPECT_FALSE(notify_error);
  EXPECT_EQ(answer, "");
}

}  // namespace
}  // namespace apiota::http
