#pragma once
// The transport-neutral request and response that API handlers see. The http
// layer builds a Request from the wire (path already percent-decoded, query
// parsed) and writes a Response back; handlers never touch sockets or Beast.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "blob/blob_store.h"

namespace apiota::api {

struct Request {
  std::string method;                                      // "GET", "HEAD", "POST", ...
  std::string path;                                        // decoded, without the query string
  std::vector<std::string> path_params;                    // values of {placeholders}, in order
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  std::vector<std::pair<std::string, std::string>> headers;  // names lowercased
  std::string body;
  std::string remote_address;
  std::string local_address;  // "host:port" the connection reached, IPv6 in brackets
  bool secure = false;        // reached over TLS

  // First value of a query parameter / header (name matched exactly /
  // case-insensitively), or nullopt.
  std::optional<std::string_view> query_param(std::string_view name) const;
  std::optional<std::string_view> header(std::string_view lowercase_name) const;
};

// A firmware file to send: the http layer applies Range, HEAD and
// If-None-Match and sends the bytes with sendfile().
struct FileBody {
  std::shared_ptr<const blob::OpenBlob> blob;
  std::string etag;  // the file's sha256; sent quoted
  std::string md5;   // lowercase hex, sent as x-MD5
};

struct Response {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::optional<FileBody> file;
};

}  // namespace apiota::api
