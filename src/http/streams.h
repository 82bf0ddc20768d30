#pragma once
// The two kinds of connection the server speaks on: plain TCP, and TLS over
// it. The request loop, uploads and event streams are written once for both
// (templates instantiated for these two types); only writing a reply
// differs (response_writer.h).

#include "http/beast_pch.h"

namespace apiota::http {

using PlainStream = boost::beast::tcp_stream;
using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

}  // namespace apiota::http
