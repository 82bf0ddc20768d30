#include "http/upload_reader.h"

#include <array>
#include <memory>

#include "api/admin/firmware_upload.h"
#include "api/error_response.h"
#include "http/multipart_parser.h"
#include "http/worker_call.h"

namespace apiota::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

namespace {

constexpr std::size_t kChunkBytes = 64 * 1024;

// Forwards multipart events to the upload; ApiErrors thrown by the upload
// propagate out of MultipartParser::feed().
class UploadForwarder final : public MultipartHandler {
 public:
  explicit UploadForwarder(api::admin::FirmwareUpload& upload) : upload_(upload) {}
  void on_part_begin(const PartHeaders& h) override {
    upload_.begin_part(h.name, h.filename ? std::optional<std::string_view>(*h.filename) : std::nullopt);
  }
  void on_part_data(std::string_view bytes) override { upload_.part_data(bytes); }
  void on_part_end() override { upload_.end_part(); }

 private:
  api::admin::FirmwareUpload& upload_;
};

UploadResult refused(service::ErrorCode code, std::string_view message) {
  return {api::error_response(code, message), false};
}

}  // namespace

template <class Stream>
asio::awaitable<UploadResult> read_upload(ServerState& state, Stream& stream, beast::flat_buffer& buffer,
                                          bhttp::request_parser<bhttp::empty_body>& head_parser,
                                          const api::Request& req) {
  std::optional<std::uint64_t> content_length;
  if (auto declared = head_parser.content_length()) content_length = *declared;
  std::unique_ptr<api::admin::FirmwareUpload> upload;
  api::Response auth_failure = co_await call_handler(state.workers, [&]() -> api::Response {
    upload = std::make_unique<api::admin::FirmwareUpload>(state.ctx, req, content_length);
    return {};
  });
  if (!upload) co_return UploadResult{std::move(auth_failure), false};

  auto boundary = multipart_boundary(req.header("content-type").value_or(""));
  if (!boundary) {
    co_return refused(service::ErrorCode::InvalidParameter, "the upload must be multipart/form-data with a boundary");
  }

  if (auto expect = req.header("expect"); expect && beast::iequals(*expect, "100-continue")) {
    bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, head_parser.get().version()};
    beast::get_lowest_layer(stream).expires_after(state.options.write_timeout);
    co_await bhttp::async_write(stream, cont, asio::use_awaitable);
  }

  bhttp::request_parser<bhttp::buffer_body> body_parser{std::move(head_parser)};
  body_parser.body_limit(upload->max_body_bytes());
  UploadForwarder forwarder(*upload);
  MultipartParser multipart(*boundary, forwarder);
  auto chunk = std::make_unique<std::array<char, kChunkBytes>>();

  try {
    while (!body_parser.is_done()) {
      body_parser.get().body().data = chunk->data();
      body_parser.get().body().size = chunk->size();
      beast::get_lowest_layer(stream).expires_after(state.options.body_read_timeout);
      auto [ec, n] = co_await bhttp::async_read(stream, buffer, body_parser, asio::as_tuple(asio::use_awaitable));
      if (ec == bhttp::error::body_limit) {
        co_return refused(service::ErrorCode::PayloadTooLarge, "the upload is larger than the plan's firmware limit");
      }
      if (ec && ec != bhttp::error::need_buffer) throw boost::system::system_error(ec);
      std::size_t got = chunk->size() - body_parser.get().body().size;
      if (MultipartError err = multipart.feed(std::string_view(chunk->data(), got)); err != MultipartError::None) {
        co_return refused(service::ErrorCode::InvalidParameter,
                          "malformed multipart body: " + std::string(describe(err)));
      }
    }
    if (MultipartError err = multipart.finish(); err != MultipartError::None) {
      co_return refused(service::ErrorCode::InvalidParameter, "malformed multipart body: " + std::string(describe(err)));
    }
  } catch (const boost::system::system_error&) {
    throw;  // the connection failed: nothing can be answered
  } catch (const std::exception&) {
    // ApiError, or a write into tmp/ failed (a full disk): answered before
    // the connection closes.
    co_return UploadResult{response_for_exception(std::current_exception()), false};
  }

  api::Response res = co_await call_handler(state.workers, [&] { return upload->finish(); });
  co_return UploadResult{std::move(res), true};
}

template asio::awaitable<UploadResult> read_upload(ServerState&, PlainStream&, beast::flat_buffer&,
                                                  bhttp::request_parser<bhttp::empty_body>&, const api::Request&);
template asio::awaitable<UploadResult> read_upload(ServerState&, TlsStream&, beast::flat_buffer&,
                                                  bhttp::request_parser<bhttp::empty_body>&, const api::Request&);

}  // namespace apiota::http
