#pragma once
// The two kinds of connection the server speaks on: plain TCP, and TLS over
// it. The request loop, uploads and event streams are written once for both
// (templates instantiated for these two types); only writing a reply
// differs (response_writer.h). TlsStream is http/tls_stream.h.

#include "http/beast_pch.h"
#include "http/tls_stream.h"

namespace apiota::http {

using PlainStream = boost::beast::tcp_stream;

}  // namespace apiota::http
