#include "http/multipart_parser.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

using namespace apiota::http;

namespace {

using namespace std::string_literals;

constexpr std::string_view kBoundary = "------------------------d74496d66958873e";

struct RecordedPart {
  std::string name;
  std::optional<std::string> filename;
  std::string content_type;
  std::string data;
  bool ended = false;

  bool operator==(const RecordedPart&) const = default;
};

std::ostream& operator<<(std::ostream& out, const RecordedPart& p) {
  return out << "{name='" << p.name << "' filename=" << (p.filename ? "'" + *p.filename + "'" : "none") << " type='"
             << p.content_type << "' data=" << p.data.size() << " bytes ended=" << p.ended << "}";
}

std::ostream& operator<<(std::ostream& out, MultipartError e) { return out << describe(e); }

// Records every callback and checks that the parser calls them in order.
class Recorder : public MultipartHandler {
 public:
  std::vector<RecordedPart> parts;
  std::size_t data_calls = 0;

  void on_part_begin(const PartHeaders& h) override {
    EXPECT_TRUE(parts.empty() || parts.back().ended) << "part begun inside another part";
    parts.push_back({h.name, h.filename, h.content_type, "", false});
  }
  void on_part_data(std::string_view bytes) override {
    EXPECT_FALSE(bytes.empty()) << "empty data callback";
    ASSERT_TRUE(!parts.empty() && !parts.back().ended) << "data outside a part";
    parts.back().data.append(bytes);
    ++data_calls;
  }
  void on_part_end() override {
    ASSERT_TRUE(!parts.empty() && !parts.back().ended) << "end outside a part";
    parts.back().ended = true;
  }
};

struct Outcome {
  std::vector<RecordedPart> parts;
  MultipartError error = MultipartError::None;

  bool operator==(const Outcome&) const = default;
};

std::ostream& operator<<(std::ostream& out, const Outcome& o) {
  out << "error=" << o.error << " parts=[";
  for (const RecordedPart& p : o.parts) out << p << " ";
  return out << "]";
}

// Feeds `chunks` in order, then finish(); the sticky error makes finish()
// report the first failure.
Outcome parse_chunks(const std::vector<std::string_view>& chunks, std::string_view boundary = kBoundary,
                     MultipartLimits limits = {}) {
  Recorder recorder;
  MultipartParser parser{std::string(boundary), recorder, limits};
  for (std::string_view chunk : chunks) parser.feed(chunk);
  const MultipartError error = parser.finish();
  EXPECT_EQ(parser.done(), error == MultipartError::None);
  return {recorder.parts, error};
}

Outcome parse_whole(std::string_view body, std::string_view boundary = kBoundary, MultipartLimits limits = {}) {
  return parse_chunks({body}, boundary, limits);
}

Outcome parse_bytewise(std::string_view body, std::string_view boundary = kBoundary, MultipartLimits limits = {}) {
  std::vector<std::string_view> chunks;
  for (std::size_t i = 0; i < body.size(); ++i) chunks.push_back(body.substr(i, 1));
  return parse_chunks(chunks, boundary, limits);
}

struct Field {
  std::string headers;  // header lines, each ending in CRLF
  std::string data;
};

std::string form_field(std::string_view name) {
  return "Content-Disposition: form-data; name=\"" + std::string(name) + "\"\r\n";
}

// Builds a well-formed body by hand so that the expected parts are known
// independently of the parser.
std::string make_body(const std::vector<Field>& fields, std::string_view boundary = kBoundary) {
  std::string body;
  for (const Field& f : fields) {
    body += "--" + std::string(boundary) + "\r\n" + f.headers + "\r\n" + f.data + "\r\n";
  }
  return body + "--" + std::string(boundary) + "--\r\n";
}

std::string firmware_bytes() {
  std::string bytes = "\xE9\x03\x02\x20"s + std::string(4, '\0');
  for (int i = 0; i < 3000; ++i) bytes.push_back(static_cast<char>((i * 131 + 7) % 256));
  return bytes;
}

std::string curl_upload_body() {
  return make_body({
      {"Content-Disposition: form-data; name=\"file\"; filename=\"fw.bin\"\r\n"
       "Content-Type: application/octet-stream\r\n",
       firmware_bytes()},
      {form_field("version"), "1.2.0"},
      {form_field("channel"), "stable"},
  });
}

TEST(MultipartParser, ParsesCurlStyleUpload) {
  const Outcome o = parse_whole(curl_upload_body());
  EXPECT_EQ(o.error, MultipartError::None);
  const std::vector<RecordedPart> expected = {
      {"file", "fw.bin", "application/octet-stream", firmware_bytes(), true},
      {"version", std::nullopt, "text/plain", "1.2.0", true},
      {"channel", std::nullopt, "text/plain", "stable", true},
  };
  EXPECT_EQ(o.parts, expected);
}

TEST(MultipartParser, SkipsPreambleEpilogueAndTransportPadding) {
  const std::string body = "This is the preamble.\r\n--" + std::string(kBoundary) + " \t\r\n" + form_field("a") +
                           "\r\nalpha\r\n--" + std::string(kBoundary) + "\r\n" + form_field("b") + "\r\nbeta\r\n--" +
                           std::string(kBoundary) + "-- \r\nThis is the epilogue.\r\n--" + std::string(kBoundary) +
                           "\r\nnot a part";
  const Outcome o = parse_whole(body);
  EXPECT_EQ(o.error, MultipartError::None);
  const std::vector<RecordedPart> expected = {
      {"a", std::nullopt, "text/plain", "alpha", true},
      {"b", std::nullopt, "text/plain", "beta", true},
  };
  EXPECT_EQ(o.parts, expected);
}

TEST(MultipartParser, AcceptsPreambleEndingInDelimiterAndClosingWithoutLineBreak) {
  const std::string body = "\r\n--" + std::string(kBoundary) + "\r\n" + form_field("a") + "\r\nx\r\n--" +
                           std::string(kBoundary) + "--";
  const Outcome o = parse_whole(body);
  EXPECT_EQ(o.error, MultipartError::None);
  ASSERT_EQ(o.parts.size(), 1u);
  EXPECT_EQ(o.parts[0].data, "x");
}

TEST(MultipartParser, KeepsDelimiterLookalikesAndBinaryBytesAsData) {
  const std::string b(kBoundary);
  const std::vector<std::string> payloads = {
      "",
      "\r",
      "\r\n",
      "\r\n-",
      "\r\n--",
      "\r\n--" + b.substr(0, 10),
      "\r\n--" + b.substr(0, b.size() - 1),
      "\r\n--" + b.substr(0, b.size() - 1) + "X\r\n--",
      "payload\r\n--" + b.substr(0, 5) + "tail",
      "--" + b,
      "--" + b + "--",
      b + "\r\n" + b,
      "\n--" + b + "\n",
      "\r\r\r\n\r\n-\r\n--\r",
      "ends with cr\r",
      "ends with partial\r\n--" + b.substr(0, 3),
      std::string("nul\0bytes\0\r\n--\0", 16),
      firmware_bytes(),
  };
  for (const std::string& payload : payloads) {
    SCOPED_TRACE(::testing::PrintToString(payload.substr(0, 64)));
    const std::string body = make_body({{form_field("blob"), payload}, {form_field("after"), "z"}});
    const std::vector<RecordedPart> expected = {
        {"blob", std::nullopt, "text/plain", payload, true},
        {"after", std::nullopt, "text/plain", "z", true},
    };
    const Outcome o = parse_whole(body);
    EXPECT_EQ(o.error, MultipartError::None);
    EXPECT_EQ(o.parts, expected);
    EXPECT_EQ(parse_bytewise(body), o);
  }
}

// Boundaries made of repeated or unusual characters stress the delimiter
// search's skip table; their text inside the data is not a delimiter.
TEST(MultipartParser, BoundaryTextInsideData) {
  for (const std::string& b : {"b"s, "-x-"s, std::string(70, 'a'), "ab"s + std::string(68, 'b'), "a'()+_,-./:=? z"s}) {
    SCOPED_TRACE(b);
    const std::string payload = "--" + b + "--" + b + "\r\n" + b + "\r\n-" + b + "--\r\n--" + b.substr(1) + "\r\n--" +
                                b.substr(0, b.size() - 1) + "\r\r\n--" + b.substr(0, b.size() - 1);
    ASSERT_EQ(payload.find("\r\n--" + b), std::string::npos) << "the payload itself holds a delimiter";
    const std::string body = make_body({{form_field("f"), payload}, {form_field("g"), b}}, b);
    const std::vector<RecordedPart> expected = {
        {"f", std::nullopt, "text/plain", payload, true},
        {"g", std::nullopt, "text/plain", b, true},
    };
    const Outcome o = parse_whole(body, b);
    EXPECT_EQ(o.error, MultipartError::None);
    EXPECT_EQ(o.parts, expected);
    EXPECT_EQ(parse_bytewise(body, b), o);
  }
}

// Bodies, well-formed and not, whose outcome must not depend on chunking.
std::vector<std::string> chunking_corpus() {
  const std::string b(kBoundary);
  const std::string spliced = curl_upload_body().substr(0, 120) + "\r\n--" + b.substr(0, 20) + "\r\n" +
                           curl_upload_body().substr(curl_upload_body().size() - 200);
  return {
      make_body({{form_field("version"), "1.2.0"}, {form_field("channel"), "\r\n--" + b.substr(0, 30)}}),
      "preamble\r\n" + make_body({{"content-disposition: form-data; name=x; filename=\"a\\\"b\"\n", "\r\n-\r"}}) +
          "epilogue",
      spliced,
      make_body({{form_field("a"), "x"}}).substr(0, 60),
      "--" + b + "\r\nContent-Type: text/plain\r\n\r\ndata\r\n--" + b + "--",
      "--" + b + "\r\n" + form_field("a") + "\r\nx\r\n--" + b + "Z\r\n",
      "--" + b + "\r\n" + form_field("a") + "\r\nx\r\n--" + b + "--Z",
      "--" + b + "\r\nbroken header\r\n\r\n",
  };
}

TEST(MultipartParser, SameOutcomeAtEverySplitPoint) {
  for (const std::string& body : chunking_corpus()) {
    SCOPED_TRACE(::testing::PrintToString(body.substr(0, 80)));
    const Outcome whole = parse_whole(body);
    for (std::size_t split = 0; split <= body.size(); ++split) {
      const std::string_view view = body;
      ASSERT_EQ(parse_chunks({view.substr(0, split), view.substr(split)}), whole) << "split at " << split;
    }
    EXPECT_EQ(parse_bytewise(body), whole);
  }
}

TEST(MultipartParser, EmitsDataInLargeSlices) {
  const std::string payload(4 << 20, '\x5a');
  const std::string body = make_body({{form_field("file"), payload}});
  Recorder recorder;
  MultipartParser parser{std::string(kBoundary), recorder};
  const std::size_t chunk = 64 << 10;
  std::size_t chunks = 0;
  for (std::size_t at = 0; at < body.size(); at += chunk, ++chunks) {
    ASSERT_EQ(parser.feed(std::string_view(body).substr(at, chunk)), MultipartError::None);
  }
  ASSERT_EQ(parser.finish(), MultipartError::None);
  ASSERT_EQ(recorder.parts.size(), 1u);
  EXPECT_EQ(recorder.parts[0].data, payload);
  EXPECT_LE(recorder.data_calls, chunks);
}

struct ErrorCase {
  std::string label;
  std::string body;
  MultipartError error;
  MultipartLimits limits = {};
};

std::string part(std::string_view headers, std::string_view data = "x") {
  return "--" + std::string(kBoundary) + "\r\n" + std::string(headers) + "\r\n" + std::string(data) + "\r\n";
}

std::string closing() { return "--" + std::string(kBoundary) + "--\r\n"; }

TEST(MultipartParser, ReportsErrors) {
  const std::string b(kBoundary);
  const std::string disposition = form_field("a");
  const std::string header_block = disposition + "\r\n";
  const std::vector<ErrorCase> cases = {
      {"empty body", "", MultipartError::UnexpectedEnd},
      {"garbage only", "\x01\x02garbage without any delimiter\r\n--", MultipartError::UnexpectedEnd},
      {"no closing delimiter", part(disposition), MultipartError::UnexpectedEnd},
      {"truncated in data", part(disposition).substr(0, part(disposition).size() - 4), MultipartError::UnexpectedEnd},
      {"truncated in headers", "--" + b + "\r\nContent-Disp", MultipartError::UnexpectedEnd},
      {"truncated in closing", part(disposition) + "--" + b + "-", MultipartError::UnexpectedEnd},
      {"delimiter followed by junk", "--" + b + "X\r\n" + disposition + "\r\nx\r\n" + closing(),
       MultipartError::BadBoundary},
      {"longer boundary in data", part(disposition, "") + "--" + b + "0\r\n", MultipartError::BadBoundary},
      {"delimiter with lone CR", "--" + b + "\rX", MultipartError::BadBoundary},
      {"delimiter with single dash", part(disposition) + "--" + b + "-\r\n", MultipartError::BadBoundary},
      {"junk after closing", part(disposition) + "--" + b + "--junk", MultipartError::DataAfterEnd},
      {"too many parts", part(disposition) + part(disposition) + part(disposition) + closing(),
       MultipartError::TooManyParts, {8192, 2}},
      {"headers one byte too large", part(disposition) + closing(), MultipartError::PartHeadersTooLarge,
       {header_block.size() - 1, 16}},
      {"endless header line", "--" + b + "\r\n" + std::string(9000, 'h'), MultipartError::PartHeadersTooLarge},
      {"no headers", part("") + closing(), MultipartError::MissingContentDisposition},
      {"only content type", part("Content-Type: text/plain\r\n") + closing(),
       MultipartError::MissingContentDisposition},
      {"no colon", part("Content-Disposition form-data\r\n") + closing(), MultipartError::MalformedPartHeaders},
      {"empty header name", part(": x\r\n" + disposition) + closing(), MultipartError::MalformedPartHeaders},
      {"space before colon", part("Content-Disposition : form-data; name=a\r\n") + closing(),
       MultipartError::MalformedPartHeaders},
      {"folded header", part(disposition + " ; filename=\"x\"\r\n") + closing(), MultipartError::MalformedPartHeaders},
      {"NUL in header", part("X-Note: a\0b\r\n"s + disposition) + closing(), MultipartError::MalformedPartHeaders},
      {"CR inside header", part("X-Note: a\rb\r\n" + disposition) + closing(), MultipartError::MalformedPartHeaders},
      {"not form-data", part("Content-Disposition: attachment; name=\"a\"\r\n") + closing(),
       MultipartError::MalformedPartHeaders},
      {"no name parameter", part("Content-Disposition: form-data; filename=\"a\"\r\n") + closing(),
       MultipartError::MalformedPartHeaders},
      {"unterminated quote", part("Content-Disposition: form-data; name=\"a\r\n") + closing(),
       MultipartError::MalformedPartHeaders},
      {"duplicate name", part("Content-Disposition: form-data; name=a; name=b\r\n") + closing(),
       MultipartError::MalformedPartHeaders},
      {"duplicate filename", part("Content-Disposition: form-data; name=a; filename=x; filename=y\r\n") + closing(),
       MultipartError::MalformedPartHeaders},
      {"duplicate disposition", part(disposition + disposition) + closing(), MultipartError::MalformedPartHeaders},
      {"duplicate content type", part(disposition + "Content-Type: a/b\r\nContent-Type: c/d\r\n") + closing(),
       MultipartError::MalformedPartHeaders},
      {"text after quoted value", part("Content-Disposition: form-data; name=\"a\"b\r\n") + closing(),
       MultipartError::MalformedPartHeaders},
  };
  for (const ErrorCase& c : cases) {
    SCOPED_TRACE(c.label);
    EXPECT_EQ(parse_whole(c.body, kBoundary, c.limits).error, c.error);
    EXPECT_EQ(parse_bytewise(c.body, kBoundary, c.limits).error, c.error);
  }
}

TEST(MultipartParser, LimitsAreInclusive) {
  const std::string disposition = form_field("a");
  const std::string body = part(disposition) + part(disposition) + closing();
  const std::size_t header_block = disposition.size() + 2;
  EXPECT_EQ(parse_whole(body, kBoundary, {header_block, 2}).error, MultipartError::None);
}

TEST(MultipartParser, ErrorsAreSticky) {
  Recorder recorder;
  MultipartParser parser{std::string(kBoundary), recorder};
  EXPECT_EQ(parser.feed("--" + std::string(kBoundary) + "\r\nbroken\r\n"), MultipartError::MalformedPartHeaders);
  EXPECT_EQ(parser.feed(part(form_field("a")) + closing()), MultipartError::MalformedPartHeaders);
  EXPECT_EQ(parser.finish(), MultipartError::MalformedPartHeaders);
  EXPECT_FALSE(parser.done());
  EXPECT_TRUE(recorder.parts.empty());
}

TEST(MultipartParser, RefusesInvalidBoundary) {
  for (const std::string& boundary : {""s, std::string(71, 'a'), "ends in space "s, "bad\rchar"s, "semi;colon"s}) {
    SCOPED_TRACE(boundary);
    Recorder recorder;
    MultipartParser parser{boundary, recorder};
    EXPECT_EQ(parser.feed("--" + boundary + "\r\n"), MultipartError::BadBoundary);
    EXPECT_EQ(parser.finish(), MultipartError::BadBoundary);
  }
}

TEST(MultipartParser, RefusesDataAfterFinish) {
  Recorder recorder;
  MultipartParser parser{std::string(kBoundary), recorder};
  ASSERT_EQ(parser.feed(part(form_field("a")) + closing()), MultipartError::None);
  EXPECT_TRUE(parser.done());
  ASSERT_EQ(parser.finish(), MultipartError::None);
  EXPECT_EQ(parser.feed(""), MultipartError::None);
  EXPECT_EQ(parser.feed("x"), MultipartError::DataAfterEnd);
}

struct DispositionCase {
  std::string headers;
  std::string name;
  std::optional<std::string> filename;
  std::string content_type;
};

TEST(MultipartParser, ReadsPartHeaders) {
  const std::vector<DispositionCase> cases = {
      {"Content-Disposition: form-data; name=\"version\"\r\n", "version", std::nullopt, "text/plain"},
      {"Content-Disposition: form-data; name=version\r\n", "version", std::nullopt, "text/plain"},
      {"Content-Disposition: form-data; name=\"file\"; filename=\"fw.bin\"\r\n", "file", "fw.bin", "text/plain"},
      {"Content-Disposition: form-data; name=\"file\"; filename=\"\"\r\n", "file", "", "text/plain"},
      {"Content-Disposition: form-data; name=\"a\\\"b\"; filename=\"c:\\\\dir\\\\f \\\"1\\\".bin\"\r\n", "a\"b",
       "c:\\dir\\f \"1\".bin", "text/plain"},
      {"Content-Disposition: form-data; name=\"\"\r\n", "", std::nullopt, "text/plain"},
      {"Content-Disposition: form-data; name=\"a;b=c\"; filename=\"x; y.bin\"\r\n", "a;b=c", "x; y.bin",
       "text/plain"},
      {"CONTENT-DISPOSITION:Form-Data;NAME=\"n\";FileName=\"f\";\r\ncontent-TYPE:  image/png \r\n", "n", "f",
       "image/png"},
      {"Content-Disposition: form-data ; name = \"n\" ; size=12 ; creation-date=\"x\"\r\n", "n", std::nullopt,
       "text/plain"},
      {"X-Extra: ignored\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Disposition: form-data; "
       "name=\"n\"\r\n",
       "n", std::nullopt, "text/plain; charset=utf-8"},
      {"Content-Disposition: form-data; name=\"n\"; filename=\"\xC3\xA9t\xC3\xA9.bin\"\n", "n", "\xC3\xA9t\xC3\xA9.bin",
       "text/plain"},
  };
  for (const DispositionCase& c : cases) {
    SCOPED_TRACE(c.headers);
    const Outcome o = parse_whole(part(c.headers, "data") + closing());
    ASSERT_EQ(o.error, MultipartError::None);
    ASSERT_EQ(o.parts.size(), 1u);
    EXPECT_EQ(o.parts[0], (RecordedPart{c.name, c.filename, c.content_type, "data", true}));
  }
}

TEST(MultipartParser, ToleratesBareLineFeedsInHeaders) {
  const std::string body = "--" + std::string(kBoundary) + "\nContent-Disposition: form-data; name=\"a\"\n\nvalue\r\n" +
                           closing();
  const Outcome o = parse_whole(body);
  ASSERT_EQ(o.error, MultipartError::None);
  ASSERT_EQ(o.parts.size(), 1u);
  EXPECT_EQ(o.parts[0], (RecordedPart{"a", std::nullopt, "text/plain", "value", true}));
}

TEST(MultipartParser, DescribesEveryError) {
  for (MultipartError e :
       {MultipartError::None, MultipartError::BadBoundary, MultipartError::MalformedPartHeaders,
        MultipartError::PartHeadersTooLarge, MultipartError::TooManyParts, MultipartError::MissingContentDisposition,
        MultipartError::UnexpectedEnd, MultipartError::DataAfterEnd}) {
    EXPECT_FALSE(describe(e).empty());
  }
}

struct BoundaryCase {
  std::string content_type;
  std::optional<std::string> boundary;
};

TEST(MultipartBoundary, ExtractsBoundaryFromContentType) {
  const std::vector<BoundaryCase> cases = {
      {"multipart/form-data; boundary=------------------------d74496d66958873e",
       "------------------------d74496d66958873e"},
      {"multipart/form-data;boundary=abc", "abc"},
      {"Multipart/Form-Data; BOUNDARY=abc", "abc"},
      {"multipart/form-data; boundary=\"abc def\"", "abc def"},
      {"multipart/form-data; boundary=\"a\\\"b\"", std::nullopt},
      {"multipart/form-data; boundary=\"a\\:b\"", "a:b"},
      {"multipart/form-data; charset=utf-8; boundary=xyz; foo=\"bar\"", "xyz"},
      {"  multipart/form-data ; boundary=xyz  ", "xyz"},
      {"multipart/form-data; boundary=" + std::string(70, 'x'), std::string(70, 'x')},
      {"multipart/form-data; boundary=" + std::string(71, 'x'), std::nullopt},
      {"multipart/form-data; boundary=\"" + std::string(71, 'x') + "\"", std::nullopt},
      {"multipart/form-data; boundary=", std::nullopt},
      {"multipart/form-data; boundary=\"\"", std::nullopt},
      {"multipart/form-data; boundary=\"ends in space \"", std::nullopt},
      {"multipart/form-data; boundary=a{b", std::nullopt},
      {"multipart/form-data; boundary=\"unterminated", std::nullopt},
      {"multipart/form-data; boundary=a; boundary=b", std::nullopt},
      {"multipart/form-data", std::nullopt},
      {"multipart/form-data; charset=utf-8", std::nullopt},
      {"multipart/mixed; boundary=abc", std::nullopt},
      {"multipart/form-data-x; boundary=abc", std::nullopt},
      {"application/json; boundary=abc", std::nullopt},
      {"text/plain", std::nullopt},
      {"", std::nullopt},
      {"multipart/form-data boundary=abc", std::nullopt},
      {"multipart/form-data; boundary abc", std::nullopt},
  };
  for (const BoundaryCase& c : cases) {
    SCOPED_TRACE(c.content_type);
    EXPECT_EQ(multipart_boundary(c.content_type), c.boundary);
  }
}

}  // namespace
