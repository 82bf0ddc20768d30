// libFuzzer target for the streaming multipart/form-data parser.
//
// The input picks a boundary, the limits and a cycle of chunk sizes, and
// the rest is the body. The body is parsed whole, in those chunks and one
// byte at a time; the three runs must report the same parts (headers,
// concatenated data, whether they ended) and the same error. Callbacks must
// arrive in order and part data must never contain a delimiter. Build with
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -Isrc \
//     tests/fuzz/multipart_fuzz.cpp src/http/multipart_parser.cpp

#include "http/multipart_parser.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

using namespace apiota::http;

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

struct Part {
  PartHeaders headers;
  std::string data;
  bool ended = false;

  bool operator==(const Part& other) const {
    return headers.name == other.headers.name && headers.filename == other.headers.filename &&
           headers.content_type == other.headers.content_type && data == other.data && ended == other.ended;
  }
};

class Recorder : public MultipartHandler {
 public:
  std::vector<Part> parts;

  void on_part_begin(const PartHeaders& headers) override {
    check(parts.empty() || parts.back().ended);
    parts.push_back({headers, "", false});
  }
  void on_part_data(std::string_view bytes) override {
    check(!bytes.empty() && !parts.empty() && !parts.back().ended);
    parts.back().data.append(bytes);
  }
  void on_part_end() override {
    check(!parts.empty() && !parts.back().ended);
    parts.back().ended = true;
  }
};

struct Outcome {
  std::vector<Part> parts;
  MultipartError error;

  bool operator==(const Outcome&) const = default;
};

Outcome parse(const std::string& boundary, MultipartLimits limits, std::string_view body,
              const std::vector<std::size_t>& chunk_sizes) {
  Recorder recorder;
  MultipartParser parser{boundary, recorder, limits};
  std::optional<MultipartError> first_error;
  std::size_t at = 0;
  for (std::size_t i = 0; at < body.size(); ++i) {
    const std::size_t n = chunk_sizes[i % chunk_sizes.size()];
    const MultipartError error = parser.feed(body.substr(at, n));
    at += n;
    if (first_error) check(error == *first_error);
    if (error != MultipartError::None && !first_error) first_error = error;
  }
  const MultipartError error = parser.finish();
  check(!first_error || error == *first_error);
  check(parser.done() == (error == MultipartError::None));
  check(parser.finish() == error);
  return {recorder.parts, error};
}

const std::string kBoundaries[] = {
    "b",
    "-x-",
    "------------------------d74496d66958873e",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "a'()+_,-./:=? z",
    "bad\r",
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider provider(data, size);
  const std::string& boundary = kBoundaries[provider.ConsumeIntegralInRange<std::size_t>(0, std::size(kBoundaries) - 1)];
  MultipartLimits limits;
  if (provider.ConsumeBool()) {
    limits.max_part_header_bytes = provider.ConsumeIntegralInRange<std::size_t>(0, 256);
    limits.max_parts = provider.ConsumeIntegralInRange<std::size_t>(0, 4);
  }
  std::vector<std::size_t> chunk_sizes(provider.ConsumeIntegralInRange<std::size_t>(1, 8));
  for (std::size_t& n : chunk_sizes) n = provider.ConsumeIntegralInRange<std::size_t>(1, 100);
  const std::string body = provider.ConsumeRemainingBytesAsString();

  const Outcome whole = parse(boundary, limits, body, {body.size() + 1});
  check(parse(boundary, limits, body, chunk_sizes) == whole);
  check(parse(boundary, limits, body, {1}) == whole);

  const std::string delimiter = "\r\n--" + boundary;
  for (const Part& part : whole.parts) check(part.data.find(delimiter) == std::string::npos);

  // Whatever multipart_boundary() accepts, the parser must accept too.
  if (const std::optional<std::string> found = multipart_boundary(body)) {
    Recorder recorder;
    MultipartParser parser{*found, recorder};
    check(parser.feed("") == MultipartError::None);
  }
  return 0;
}
