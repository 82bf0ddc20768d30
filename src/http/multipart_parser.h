#pragma once

// A streaming parser for multipart/form-data request bodies (RFC 7578,
// RFC 2046 §5.1), so that a firmware upload is never held in memory whole.
//
// The caller feeds the body in chunks of any size and calls finish() at the
// end. The parser reports each part to a MultipartHandler as it goes:
// on_part_begin() once the part's headers are read, on_part_data() with
// slices of the part's content (as large as the chunks allow; never empty),
// and on_part_end() when the delimiter after the part is seen. Between calls
// the parser keeps at most one part's header block and a possible partial
// delimiter, so its memory is bounded by the limits, not the body size. The
// preamble before the first delimiter and the epilogue after the closing
// one are skipped.
//
// feed() and finish() return MultipartError::None on success. Errors are
// sticky: once a call returns an error, every later call returns the same
// error without touching the handler. Callbacks already made before an
// error stand, so a handler must treat what it received as provisional
// until finish() returns None. A part that never reaches its closing
// delimiter gets no on_part_end().
//
// Every part must carry `Content-Disposition: form-data; name="..."`.
// PartHeaders holds the client's text after unquoting and is not sanitized:
// never use filename as a path. filename is set only when the parameter is
// present; content_type is the whole Content-Type value (parameters
// included), or "text/plain" when the part has none (RFC 7578 §4.4).
// The CRLF before each delimiter is required; the line break ending a
// delimiter line or a header line may be CRLF or a bare LF. Header folding
// is not accepted.
//
// The handler must outlive the parser. If a callback throws, the exception
// propagates and the parser must not be used again. A parser is not safe
// for concurrent use; distinct parsers are independent.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace apiota::http {

struct PartHeaders {
  std::string name;
  std::optional<std::string> filename;
  std::string content_type;
};

class MultipartHandler {
 public:
  virtual ~MultipartHandler() = default;
  virtual void on_part_begin(const PartHeaders& headers) = 0;
  // May be called many times per part, with slices of any size.
  virtual void on_part_data(std::string_view bytes) = 0;
  virtual void on_part_end() = 0;
};

enum class MultipartError {
  None,
  BadBoundary,                // invalid boundary, or a delimiter not followed by a line break or "--"
  MalformedPartHeaders,       // bad header line, or unusable Content-Disposition
  PartHeadersTooLarge,        // a part's header block exceeds max_part_header_bytes
  TooManyParts,               // more than max_parts parts
  MissingContentDisposition,  // a part without a Content-Disposition header
  UnexpectedEnd,              // finish() before the closing delimiter
  DataAfterEnd,               // bytes other than a line break right after the closing
                              // delimiter, or feed() with data after finish()
};

// A short English phrase for logs and error responses.
std::string_view describe(MultipartError error);

struct MultipartLimits {
  std::size_t max_part_header_bytes = 8192;  // per part, line terminators included
  std::size_t max_parts = 16;
};

class MultipartParser {
 public:
  // `boundary` is the boundary parameter without the leading "--". An
  // invalid boundary (see multipart_boundary()) makes every call return
  // BadBoundary.
  MultipartParser(std::string boundary, MultipartHandler& handler, MultipartLimits limits = {});

  MultipartParser(const MultipartParser&) = delete;
  MultipartParser& operator=(const MultipartParser&) = delete;

  MultipartError feed(std::string_view chunk);

  // Declares the end of the body: UnexpectedEnd unless the closing
  // delimiter has been seen.
  MultipartError finish();

  // True once the closing delimiter has been seen, unless an error occurred.
  bool done() const;

 private:
  enum class State {
    Preamble,
    AfterDelimiter,
    DelimiterPadding,
    DelimiterLineFeed,
    CloseDash,
    ClosePadding,
    CloseLineFeed,
    Headers,
    Body,
    Epilogue,
    Finished,
  };

  bool scan_for_delimiter(std::string_view chunk, std::size_t& pos);
  void emit(std::string_view bytes);
  MultipartError step_delimiter_line(char c);
  MultipartError begin_part();
  MultipartError read_headers(std::string_view chunk, std::size_t& pos);
  MultipartError header_line(std::string_view line);
  MultipartError fail(MultipartError error);

  std::string delimiter_;  // CRLF "--" boundary
  std::array<std::size_t, 256> skip_;  // Horspool shift per byte value
  MultipartHandler& handler_;
  MultipartLimits limits_;
  State state_ = State::Preamble;
  MultipartError error_ = MultipartError::None;
  bool closed_ = false;
  std::string held_;  // a proper prefix of delimiter_ seen at the end of the last chunk
  std::size_t parts_ = 0;
  std::size_t header_bytes_ = 0;
  std::string line_;
  PartHeaders headers_;
  bool has_disposition_ = false;
  bool has_content_type_ = false;
};

// Extracts the boundary parameter from a Content-Type header value. Returns
// nullopt unless the media type is multipart/form-data (case-insensitive)
// and the value has exactly one boundary parameter, quoted or not, of 1 to
// 70 characters allowed by RFC 2046 §5.1.1 and not ending in a space.
std::optional<std::string> multipart_boundary(std::string_view content_type);

}  // namespace apiota::http
