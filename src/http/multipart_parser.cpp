#include "http/multipart_parser.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace apiota::http {

namespace {

constexpr std::size_t kMaxBoundaryLength = 70;  // RFC 2046 §5.1.1

bool is_ows(char c) { return c == ' ' || c == '\t'; }

bool is_alnum(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool is_tchar(char c) { return is_alnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos; }

bool is_bchar(char c) { return is_alnum(c) || std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos; }

bool is_ctl(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (u < 0x20 && c != '\t') || u == 0x7f;
}

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return ascii_lower(x) == ascii_lower(y); });
}

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
  return s;
}

// A valid boundary also guarantees that the delimiter contains CR only as
// its first byte, which scan_for_delimiter() relies on.
bool valid_boundary(std::string_view boundary) {
  return !boundary.empty() && boundary.size() <= kMaxBoundaryLength && boundary.back() != ' ' &&
         std::all_of(boundary.begin(), boundary.end(), is_bchar);
}

struct Parameter {
  std::string_view name;
  std::string value;
};

struct ParameterizedValue {
  std::string_view value;
  std::vector<Parameter> parameters;
};

// Splits `value *( OWS ";" OWS name "=" ( token / quoted-string ) )`, the
// shape shared by Content-Type and Content-Disposition. Empty elements
// between semicolons are skipped because some clients emit a trailing ";".
std::optional<ParameterizedValue> parse_parameterized(std::string_view s) {
  ParameterizedValue out;
  std::size_t i = std::min(s.find(';'), s.size());
  out.value = trim_ows(s.substr(0, i));
  const auto skip_ows = [&] {
    while (i < s.size() && is_ows(s[i])) ++i;
  };
  while (i < s.size()) {
    ++i;  // the ';'
    skip_ows();
    if (i == s.size() || s[i] == ';') continue;

    const std::size_t name_start = i;
    while (i < s.size() && is_tchar(s[i])) ++i;
    if (i == name_start) return std::nullopt;
    Parameter parameter{s.substr(name_start, i - name_start), {}};
    skip_ows();
    if (i == s.size() || s[i] != '=') return std::nullopt;
    ++i;
    skip_ows();

    if (i < s.size() && s[i] == '"') {
      ++i;
      bool closed = false;
      while (i < s.size() && !closed) {
        char c = s[i++];
        if (c == '"') {
          closed = true;
        } else {
          if (c == '\\') {
            if (i == s.size()) return std::nullopt;
            c = s[i++];
          }
          parameter.value += c;
        }
      }
      if (!closed) return std::nullopt;
    } else {
      const std::size_t value_start = i;
      while (i < s.size() && s[i] != ';' && s[i] != '"' && !is_ows(s[i])) ++i;
      if (i == value_start) return std::nullopt;
      parameter.value = s.substr(value_start, i - value_start);
    }
    skip_ows();
    if (i < s.size() && s[i] != ';') return std::nullopt;
    out.parameters.push_back(std::move(parameter));
  }
  return out;
}

// Fills name and filename from a Content-Disposition value. A repeated
// parameter is refused rather than resolved, so that two components can
// never disagree about which field a part is.
bool parse_disposition(std::string_view value, PartHeaders& headers) {
  const std::optional<ParameterizedValue> parsed = parse_parameterized(value);
  if (!parsed || !iequals(parsed->value, "form-data")) return false;
  bool has_name = false;
  for (const Parameter& p : parsed->parameters) {
    if (iequals(p.name, "name")) {
      if (has_name) return false;
      has_name = true;
      headers.name = p.value;
    } else if (iequals(p.name, "filename")) {
      if (headers.filename) return false;
      headers.filename = p.value;
    }
  }
  return has_name;
}

}  // namespace

std::string_view describe(MultipartError error) {
  switch (error) {
    case MultipartError::None:
      return "no error";
    case MultipartError::BadBoundary:
      return "invalid multipart boundary";
    case MultipartError::MalformedPartHeaders:
      return "malformed part headers";
    case MultipartError::PartHeadersTooLarge:
      return "part headers too large";
    case MultipartError::TooManyParts:
      return "too many parts";
    case MultipartError::MissingContentDisposition:
      return "part without Content-Disposition";
    case MultipartError::UnexpectedEnd:
      return "multipart body ended before its closing boundary";
    case MultipartError::DataAfterEnd:
      return "data after the closing boundary";
  }
  return "unknown multipart error";
}

MultipartParser::MultipartParser(std::string boundary, MultipartHandler& handler, MultipartLimits limits)
    : delimiter_("\r\n--" + boundary),
      handler_(handler),
      limits_(limits),
      error_(valid_boundary(boundary) ? MultipartError::None : MultipartError::BadBoundary),
      // The first delimiter may open the body without the CRLF that precedes
      // every later one; pretending that CRLF was already seen covers both.
      held_("\r\n") {
  // Horspool's shift for each byte value: the distance from its last
  // occurrence before the final position to the end of the delimiter.
  skip_.fill(delimiter_.size());
  for (std::size_t i = 0; i + 1 < delimiter_.size(); ++i) {
    skip_[static_cast<unsigned char>(delimiter_[i])] = delimiter_.size() - 1 - i;
  }
}

MultipartError MultipartParser::feed(std::string_view chunk) {
  if (error_ != MultipartError::None) return error_;
  if (state_ == State::Finished) return chunk.empty() ? MultipartError::None : fail(MultipartError::DataAfterEnd);

  std::size_t pos = 0;
  while (pos < chunk.size()) {
    MultipartError error = MultipartError::None;
    switch (state_) {
      case State::Preamble:
      case State::Body:
        if (scan_for_delimiter(chunk, pos)) {
          if (state_ == State::Body) handler_.on_part_end();
          state_ = State::AfterDelimiter;
        }
        break;
      case State::AfterDelimiter:
      case State::DelimiterPadding:
      case State::DelimiterLineFeed:
      case State::CloseDash:
      case State::ClosePadding:
      case State::CloseLineFeed:
        error = step_delimiter_line(chunk[pos++]);
        break;
      case State::Headers:
        error = read_headers(chunk, pos);
        break;
      case State::Epilogue:
      case State::Finished:
        pos = chunk.size();
        break;
    }
    if (error != MultipartError::None) return fail(error);
  }
  return MultipartError::None;
}

MultipartError MultipartParser::finish() {
  if (error_ != MultipartError::None) return error_;
  if (!closed_) return fail(MultipartError::UnexpectedEnd);
  state_ = State::Finished;
  return MultipartError::None;
}

bool MultipartParser::done() const { return closed_ && error_ == MultipartError::None; }

// Consumes chunk[pos..] up to and including the next delimiter, emitting the
// bytes before it. Returns false when the chunk ran out first; a trailing
// partial delimiter is then kept in held_ for the next chunk.
bool MultipartParser::scan_for_delimiter(std::string_view chunk, std::size_t& pos) {
  const std::string_view delimiter = delimiter_;
  if (!held_.empty()) {
    const std::size_t wanted = delimiter.size() - held_.size();
    const std::string_view next = chunk.substr(pos, std::min(wanted, chunk.size() - pos));
    if (next == delimiter.substr(held_.size(), next.size())) {
      pos += next.size();
      if (next.size() == wanted) {
        held_.clear();
        return true;
      }
      held_.append(next);
      return false;
    }
    // held_ starts with the delimiter's only CR, so no later byte of it can
    // start a delimiter: all of it is data.
    emit(held_);
    held_.clear();
  }

  // Horspool search. The window's first byte is tested before the rest
  // because only a CR can start a delimiter, which keeps the search linear
  // even on data chosen to match long delimiter suffixes.
  const std::size_t last = delimiter.size() - 1;
  std::size_t at = pos;
  while (at + last < chunk.size()) {
    const char tail = chunk[at + last];
    if (tail == delimiter[last] && chunk[at] == '\r' && chunk.substr(at + 1, last - 1) == delimiter.substr(1, last - 1)) {
      emit(chunk.substr(pos, at - pos));
      pos = at + delimiter.size();
      return true;
    }
    at += skip_[static_cast<unsigned char>(tail)];
  }

  // Too few bytes remain for a whole delimiter; keep any that may start one.
  // Starting at `at` is enough: a position the shifts skipped would need the
  // same misaligned byte to match, so it cannot start a partial delimiter
  // either.
  for (std::size_t cr = chunk.find('\r', at); cr != std::string_view::npos; cr = chunk.find('\r', cr + 1)) {
    if (delimiter.starts_with(chunk.substr(cr))) {
      emit(chunk.substr(pos, cr - pos));
      held_.assign(chunk.substr(cr));
      pos = chunk.size();
      return false;
    }
  }
  emit(chunk.substr(pos));
  pos = chunk.size();
  return false;
}

void MultipartParser::emit(std::string_view bytes) {
  if (state_ == State::Body && !bytes.empty()) handler_.on_part_data(bytes);
}

// The rest of a delimiter line, one byte at a time: optional padding, then
// a line break before a part, or "--" for the closing delimiter.
MultipartError MultipartParser::step_delimiter_line(char c) {
  switch (state_) {
    case State::AfterDelimiter:
      if (c == '-') {
        state_ = State::CloseDash;
        return MultipartError::None;
      }
      [[fallthrough]];
    case State::DelimiterPadding:
      if (is_ows(c)) {
        state_ = State::DelimiterPadding;
        return MultipartError::None;
      }
      if (c == '\r') {
        state_ = State::DelimiterLineFeed;
        return MultipartError::None;
      }
      return c == '\n' ? begin_part() : MultipartError::BadBoundary;
    case State::DelimiterLineFeed:
      return c == '\n' ? begin_part() : MultipartError::BadBoundary;
    case State::CloseDash:
      if (c != '-') return MultipartError::BadBoundary;
      closed_ = true;
      state_ = State::ClosePadding;
      return MultipartError::None;
    case State::ClosePadding:
      if (is_ows(c)) return MultipartError::None;
      if (c == '\r') {
        state_ = State::CloseLineFeed;
        return MultipartError::None;
      }
      if (c != '\n') return MultipartError::DataAfterEnd;
      state_ = State::Epilogue;
      return MultipartError::None;
    case State::CloseLineFeed:
      if (c != '\n') return MultipartError::DataAfterEnd;
      state_ = State::Epilogue;
      return MultipartError::None;
    case State::Preamble:
    case State::Headers:
    case State::Body:
    case State::Epilogue:
    case State::Finished:
      break;
  }
  return MultipartError::None;
}

MultipartError MultipartParser::begin_part() {
  if (parts_ == limits_.max_parts) return MultipartError::TooManyParts;
  ++parts_;
  state_ = State::Headers;
  header_bytes_ = 0;
  line_.clear();
  headers_ = PartHeaders{};
  has_disposition_ = false;
  has_content_type_ = false;
  return MultipartError::None;
}

// Consumes at most one header line from chunk[pos..]; the blank line that
// ends the block starts the part's body.
MultipartError MultipartParser::read_headers(std::string_view chunk, std::size_t& pos) {
  const std::size_t newline = chunk.find('\n', pos);
  const std::size_t end = newline == std::string_view::npos ? chunk.size() : newline + 1;
  header_bytes_ += end - pos;
  if (header_bytes_ > limits_.max_part_header_bytes) return MultipartError::PartHeadersTooLarge;
  if (newline == std::string_view::npos) {
    line_.append(chunk.substr(pos));
    pos = chunk.size();
    return MultipartError::None;
  }
  line_.append(chunk.substr(pos, newline - pos));
  pos = end;

  std::string_view line = line_;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (!line.empty()) {
    const MultipartError error = header_line(line);
    line_.clear();
    return error;
  }

  if (!has_disposition_) return MultipartError::MissingContentDisposition;
  if (!has_content_type_) headers_.content_type = "text/plain";
  state_ = State::Body;
  handler_.on_part_begin(headers_);
  return MultipartError::None;
}

MultipartError MultipartParser::header_line(std::string_view line) {
  if (std::any_of(line.begin(), line.end(), is_ctl)) return MultipartError::MalformedPartHeaders;
  const std::size_t colon = line.find(':');
  if (colon == 0 || colon == std::string_view::npos) return MultipartError::MalformedPartHeaders;
  const std::string_view name = line.substr(0, colon);
  if (!std::all_of(name.begin(), name.end(), is_tchar)) return MultipartError::MalformedPartHeaders;
  const std::string_view value = trim_ows(line.substr(colon + 1));

  if (iequals(name, "content-disposition")) {
    if (has_disposition_ || !parse_disposition(value, headers_)) return MultipartError::MalformedPartHeaders;
    has_disposition_ = true;
  } else if (iequals(name, "content-type")) {
    if (has_content_type_) return MultipartError::MalformedPartHeaders;
    has_content_type_ = true;
    headers_.content_type = value;
  }
  return MultipartError::None;
}

MultipartError MultipartParser::fail(MultipartError error) {
  error_ = error;
  return error;
}

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  const std::optional<ParameterizedValue> parsed = parse_parameterized(content_type);
  if (!parsed || !iequals(parsed->value, "multipart/form-data")) return std::nullopt;
  const Parameter* boundary = nullptr;
  for (const Parameter& p : parsed->parameters) {
    if (!iequals(p.name, "boundary")) continue;
    if (boundary) return std::nullopt;
    boundary = &p;
  }
  if (!boundary || !valid_boundary(boundary->value)) return std::nullopt;
  return boundary->value;
}

}  // namespace apiota::http
