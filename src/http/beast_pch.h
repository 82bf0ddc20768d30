#pragma once
// Precompiled header for the http layer: Beast and Asio dominate its compile
// time, so they are parsed once per build instead of once per file.

#include <boost/asio.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
