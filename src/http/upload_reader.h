#pragma once
// Streaming a firmware upload from the socket into
// api::admin::FirmwareUpload through the multipart parser, 64 KiB at a time.
//
// The request head has been read; read_upload() authenticates (on the worker
// pool), answers `Expect: 100-continue`, enforces the body limit as bytes
// arrive, and returns the Response to send. `body_consumed` is false when
// the reply is sent before the whole body was read (413, auth failure, bad
// form): the connection must then close after the reply.

#include "api/request.h"
#include "http/beast_pch.h"
#include "http/connection.h"
#include "http/streams.h"

namespace apiota::http {

struct UploadResult {
  api::Response response;
  bool body_consumed = false;
};

// For Stream = PlainStream and TlsStream (http/streams.h).
template <class Stream>
boost::asio::awaitable<UploadResult> read_upload(
    ServerState& state, Stream& stream, boost::beast::flat_buffer& buffer,
    boost::beast::http::request_parser<boost::beast::http::empty_body>& head_parser, const api::Request& req);

}  // namespace apiota::http
