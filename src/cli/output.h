#pragma once
// What the command line prints: one rule for every command (README,
// "Command line").
//
// Records (devices, releases, keys, audit entries...) go out as one JSON
// object per line when `--json` is given or standard output is not a
// terminal, so scripts and pipes always get the same machine format. On a
// terminal, a list of records is an aligned table of its useful columns and
// a single record is one "field  value" line per field. Confirmations that
// are not records ("Revoked key_...") are plain sentences either way.
//
// Cell text: strings as they are with non-printable bytes escaped
// (domain::printable), the empty string and null as "-", booleans as yes/no,
// whole numbers as integers, other numbers as JSON writes them, arrays as
// their items joined by ",", objects as compact JSON.
// Table cells longer than kMaxCellWidth are cut, ending in "...".

#include <CLI/CLI.hpp>

#include <boost/json/object.hpp>

#include <span>
#include <string>
#include <vector>

namespace apiota::cli {

inline constexpr std::size_t kMaxCellWidth = 40;

// A table column: its header and the record field it shows; "plan.max_devices"
// names field max_devices of the object in field plan. A field a record does
// not have shows as "-".
struct Column {
  std::string header;
  std::string field;
};

std::string cell_text(const boost::json::value& value);

// A header line, then one line per record; columns two spaces apart, each as
// wide as its widest cell; no trailing spaces.
std::string format_table(std::span<const Column> columns, std::span<const boost::json::object> records);

// One line per field, names padded to the longest; the fields of a nested
// object appear as "parent.field".
std::string format_fields(const boost::json::object& record);

// Prints records to standard output by the rule above.
class Printer {
 public:
  explicit Printer(bool json) : json_(json) {}
  bool json() const { return json_; }
  void list(std::span<const Column> columns, std::span<const boost::json::object> records) const;
  void record(const boost::json::object& record) const;

 private:
  bool json_;
};

// Adds `--json` to every command under `app` that has no subcommands of its
// own, except `serve`. Call once every command is added.
void add_json_flags(CLI::App& app);

// The printer for this run of the program: JSON when --json was given or
// standard output is not a terminal.
Printer printer();

}  // namespace apiota::cli
