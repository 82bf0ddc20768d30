#include "store/copy/row_digest.h"

#include <fmt/format.h>

#include <charconv>
#include <cstdlib>

namespace apiota::store::copy {

std::string canonical_value(ColumnKind kind, std::string_view text) {
  switch (kind) {
    case ColumnKind::Integer: {
      std::int64_t value = 0;
      const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (error != std::errc() || end != text.data() + text.size()) return std::string(text);
      return std::to_string(value);
    }
    case ColumnKind::Real: {
      const std::string copy(text);
      char* end = nullptr;
      const double value = std::strtod(copy.c_str(), &end);
      if (copy.empty() || end != copy.c_str() + copy.size()) return copy;
      return fmt::format("{}", value);
    }
    case ColumnKind::Text:
      break;
  }
  return std::string(text);
}

void RowDigest::add_value(const std::optional<std::string>& value) {
  if (!value) {
    digest_.update(std::string_view("N;"));
    return;
  }
  // Length-prefixed, so no two rows of different values read alike.
  digest_.update(fmt::format("V{}:", value->size()));
  digest_.update(*value);
}

void RowDigest::end_row() {
  digest_.update(std::string_view("\n"));
  ++rows_;
}

std::string RowDigest::finish() { return crypto::to_hex(digest_.finish()); }

}  // namespace apiota::store::copy
