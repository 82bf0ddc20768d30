#pragma once
// The web console's files, embedded in the binary at build time: web/embed.mjs
// turns the folder web/build.mjs wrote into a generated source
// (build/generated/console_assets.cpp) that defines console_assets(). Each
// file is there as it was built and precompressed (gzip level 9, brotli at
// its best quality); a compressed form that would not be smaller is left out
// (empty). Immutable, so thread-safe.

#include <span>
#include <string_view>

namespace apiota::http {

struct ConsoleAsset {
  std::string_view path;          // relative to the console's root: "index.html", "assets/app-3f2a9c.js"
  std::string_view content_type;  // e.g. "text/javascript; charset=utf-8"
  std::string_view etag;          // hex digest of the identity bytes (unquoted)
  std::string_view identity;
  std::string_view gzip;    // empty when not smaller than identity
  std::string_view brotli;  // the same
  bool immutable = false;   // a content-hashed name: cacheable forever
};

std::span<const ConsoleAsset> console_assets();

}  // namespace apiota::http
