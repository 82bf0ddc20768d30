#pragma once
// RowDigest: a table's rows, in key order, reduced to a count and a SHA-256,
// so that a table copied from one store to another (sqlite_to_postgres.h)
// can be compared without keeping either. Each value is taken in a canonical
// text form that both stores' values reach: integers in decimal, reals as
// the shortest text that reads back as the same double, text as its bytes,
// and NULL apart from every text.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/digest.h"
#include "store/copy/copied_tables.h"

namespace apiota::store::copy {

// The canonical form of a value of `kind` given as text ("12", "0.5",
// "1e+20"); a text that does not read as the kind is kept as it is.
std::string canonical_value(ColumnKind kind, std::string_view text);

class RowDigest {
 public:
  RowDigest() : digest_(crypto::DigestKind::Sha256) {}

  // Adds the next value of the current row (canonical, or NULL).
  void add_value(const std::optional<std::string>& value);
  // Ends the current row.
  void end_row();

  std::int64_t rows() const { return rows_; }
  // The hex SHA-256 of everything added; the digest takes no more after it.
  std::string finish();

 private:
  crypto::Digest digest_;
  std::int64_t rows_ = 0;
};

}  // namespace apiota::store::copy
