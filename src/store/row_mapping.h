#pragma once
// RowMapping: how one kind of record is read from result rows, by column
// name. One list of (column, field) pairs per record is the single source of
// truth: select_list() writes a query's SELECT list from it and read() fills
// a record from a row. Column names are resolved to result indexes once per
// prepared statement (the connection keeps them), so reading a row costs no
// string comparison. A column missing from a statement's result is a
// StoreError naming the column and the SQL, on the first row read. Shared
// by the store implementations: each one's rows are RowValues (row_values.h).
//
//   const RowMapping<PinRecord> kPin{column<&PinRecord::project_id>("project_id"), ...};
//   auto stmt = conn.prepare("SELECT " + kPin.select_list() + " FROM pins");
//   while (stmt.step()) out.push_back(kPin.read(stmt));
//
// Mappings are namespace-scope constants: a connection may remember what it
// resolved for a mapping for as long as it lives.

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "store/column_values.h"
#include "store/sqlite/connection.h"

namespace apiota::store {

// Reads one result column into one field of a Record.
template <class Record>
struct Column {
  std::string name;
  void (*read)(const RowValues& s, int index, Record& record);
};

template <class Member>
struct MemberOf;
template <class Class, class Field>
struct MemberOf<Field Class::*> {
  using type = Class;
};

// The column `name`, read into the field reached through the member path,
// e.g. column<&ReleaseRecord::state>("state") or
// column<&ProjectRecord::plan, &domain::Plan::max_devices>("max_devices").
template <auto First, auto... Rest>
Column<typename MemberOf<decltype(First)>::type> column(std::string name) {
  using Record = typename MemberOf<decltype(First)>::type;
  return {std::move(name), [](const RowValues& s, int index, Record& record) {
            read_column(s, index, ((record.*First) .* ... .* Rest));
          }};
}

// A process-wide number for each mapping (and prefixed copy): the key under
// which a result keeps the indexes of its column names.
std::uint64_t next_row_mapping_key();

template <class Record>
class RowMapping {
 public:
  RowMapping(std::initializer_list<Column<Record>> columns) : columns_(columns) {
    for (const auto& c : columns_) names_.push_back(c.name);
  }

  // The same fields read from columns named `prefix` + name: for a record
  // selected beside another one whose column names it shares (a join).
  RowMapping prefixed(std::string_view prefix) const {
    RowMapping copy = *this;
    copy.prefix_ = prefix;
    copy.key_ = next_row_mapping_key();
    for (auto& name : copy.names_) name.insert(0, prefix);
    return copy;
  }

  // The SELECT list: "a, b" or, for a table alias, "t.a AS a, t.b AS b"
  // (with the prefix, if any, in front of each result name).
  std::string select_list(std::string_view table = "") const {
    std::string out;
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      if (i > 0) out += ", ";
      if (!table.empty()) out.append(table).append(".");
      out += columns_[i].name;
      if (!table.empty() || !prefix_.empty()) out.append(" AS ").append(names_[i]);
    }
    return out;
  }

  // Reads the current row of `s` (after step() returned true) into a new
  // record, or into the mapped fields of `record`, leaving the others alone.
  Record read(const RowValues& s) const {
    Record record;
    read(s, record);
    return record;
  }
  void read(const RowValues& s, Record& record) const {
    const auto indexes = s.column_indexes(key_, names_);
    for (std::size_t i = 0; i < columns_.size(); ++i) columns_[i].read(s, indexes[i], record);
  }

 private:
  std::vector<Column<Record>> columns_;  // the stored column names
  std::vector<std::string> names_;       // the names in a result: prefix_ + stored name
  std::string prefix_;
  std::uint64_t key_ = next_row_mapping_key();
};

}  // namespace apiota::store
