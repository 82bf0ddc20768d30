#pragma once
// RowValues: the current row of a query result, as every store
// implementation (SQLite's statements, PostgreSQL's results) shows it to the
// shared reading of records (column_values.h, row_mapping.h). Columns are
// 0-based result indexes. A NULL reads as 0 or "" from int64/real/text, and
// as std::nullopt from the optional readers.

#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace apiota::store {

class RowValues {
 public:
  virtual std::int64_t int64(int column) const = 0;
  virtual double real(int column) const = 0;
  virtual std::string text(int column) const = 0;
  virtual std::optional<std::string> optional_text(int column) const = 0;
  virtual std::optional<std::int64_t> optional_int64(int column) const = 0;

  // The result index of each of `names`, in order. Resolved on the first call
  // with `key` and kept with the prepared statement or result, so later calls
  // cost no string comparison; `key` must stand for that one list of names.
  // Throws StoreError naming the first name the result lacks.
  virtual std::span<const int> column_indexes(std::uint64_t key, std::span<const std::string> names) const = 0;

 protected:
  ~RowValues() = default;
};

}  // namespace apiota::store
