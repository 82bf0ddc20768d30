#include "cli/output.h"

#include <unistd.h>

#include <boost/json.hpp>

#include <algorithm>
#include <iostream>

#include "service/json_text.h"
#include "domain/printable.h"

namespace apiota::cli {
namespace {

// Set by --json while the command line is parsed, before any command runs.
bool json_requested = false;

const boost::json::value* field_of(const boost::json::object& record, std::string_view path) {
  const boost::json::object* at = &record;
  while (true) {
    const auto dot = path.find('.');
    const auto* value = at->if_contains(path.substr(0, dot));
    if (!value || dot == std::string_view::npos) return value;
    if (!value->is_object()) return nullptr;
    at = &value->as_object();
    path.remove_prefix(dot + 1);
  }
}

std::string cut(std::string text) {
  if (text.size() <= kMaxCellWidth) return text;
  std::size_t end = kMaxCellWidth - 3;
  // Never cut inside a UTF-8 character.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end) + "...";
}

// Display width: UTF-8 continuation bytes take no column.
std::size_t width_of(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

void pad_to(std::string& line, std::size_t width, std::string_view text) {
  line += text;
  line.append(width - width_of(text), ' ');
}

std::string aligned(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()), 0);
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], width_of(row[i]));
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i + 1 == row.size()) {
        line += row[i];
      } else {
        pad_to(line, widths[i] + 2, row[i]);
      }
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

void flatten(const boost::json::object& record, const std::string& prefix, std::vector<std::vector<std::string>>& rows) {
  for (const auto& [name, value] : record) {
    const std::string full = prefix + std::string(name);
    if (value.is_object() && !value.as_object().empty()) {
      flatten(value.as_object(), full + ".", rows);
    } else {
      rows.push_back({full, cell_text(value)});
    }
  }
}

}  // namespace

std::string cell_text(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::null:
      return "-";
    case boost::json::kind::bool_:
      return value.get_bool() ? "yes" : "no";
    case boost::json::kind::string:
      return value.get_string().empty() ? "-" : domain::printable(value.get_string());
    case boost::json::kind::array: {
      std::string joined;
      for (const auto& item : value.get_array()) {
        if (!joined.empty()) joined += ",";
        joined += cell_text(item);
      }
      return joined.empty() ? "-" : joined;
    }
    case boost::json::kind::object:
      return domain::printable(service::to_json_text(value));
    case boost::json::kind::double_:
      return service::plain_number(value.get_double());
    default:
      return service::to_json_text(value);
  }
}

std::string format_table(std::span<const Column> columns, std::span<const boost::json::object> records) {
  std::vector<std::vector<std::string>> rows;
  auto& header = rows.emplace_back();
  for (const auto& column : columns) header.push_back(column.header);
  for (const auto& record : records) {
    auto& row = rows.emplace_back();
    for (const auto& column : columns) {
      const auto* value = field_of(record, column.field);
      row.push_back(cut(value ? cell_text(*value) : "-"));
    }
  }
  return aligned(rows);
}

std::string format_fields(const boost::json::object& record) {
  std::vector<std::vector<std::string>> rows;
  flatten(record, "", rows);
  return aligned(rows);
}

void Printer::list(std::span<const Column> columns, std::span<const boost::json::object> records) const {
  if (json_) {
    for (const auto& record : records) std::cout << service::to_json_text(record) << "\n";
  } else {
    std::cout << format_table(columns, records);
  }
  std::cout.flush();
}

void Printer::record(const boost::json::object& record) const {
  if (json_) {
    std::cout << service::to_json_text(record) << std::endl;
  } else {
    std::cout << format_fields(record) << std::flush;
  }
}

void add_json_flags(CLI::App& app) {
  for (CLI::App* command : app.get_subcommands([](CLI::App*) { return true; })) {
    if (command->get_name() == "serve") continue;
    if (command->get_subcommands([](CLI::App*) { return true; }).empty()) {
      command->add_flag_callback("--json", [] { json_requested = true; },
                                 "print records as JSON, one object per line (the default when stdout is not a "
                                 "terminal)");
    } else {
      add_json_flags(*command);
    }
  }
}

Printer printer() { return Printer(json_requested || ::isatty(1) == 0); }

}  // namespace apiota::cli
