#pragma once
// The request framing apiota accepts beside Content-Length (RFC 9112 §6):
// one Transfer-Encoding header whose value is exactly `chunked` (any letter
// case, surrounding whitespace ignored), on HTTP/1.1, without Content-Length.
// Anything else (another coding, a list, a repeated header, HTTP/1.0) would
// leave the body's length to guesswork: Beast reads such a request as
// bodiless, so a body could carry a request smuggled past a proxy that
// frames it differently. The server answers 400 with
// kTransferEncodingRefusal and closes the connection.

#include <string_view>

#include "http/beast_pch.h"

namespace apiota::http {

inline constexpr std::string_view kTransferEncodingRefusal =
    "Transfer-Encoding must be exactly \"chunked\", in one header of an HTTP/1.1 request, without Content-Length";

// True when `head` carries no Transfer-Encoding, or the one apiota accepts.
bool transfer_encoding_acceptable(const boost::beast::http::request_header<>& head);

// True when Beast refused a head with `ec` because of its Transfer-Encoding
// (a repeated `chunked`, or Transfer-Encoding with Content-Length);
// `partial_head` holds the fields parsed before the error.
bool is_transfer_encoding_error(const boost::system::error_code& ec,
                                const boost::beast::http::request_header<>& partial_head);

}  // namespace apiota::http
