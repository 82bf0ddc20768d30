#include "store/copy/copied_tables.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "store/store_error.h"

namespace apiota::store::copy {
namespace {

constexpr std::string_view kCopied[] = {
    "projects",      "api_keys",        "devices",        "device_tags",  "releases",
    "pins",          "ota_logs",        "update_attempts", "project_config", "device_config",
    "audit_log",     "console_sessions", "meta",
};

// The same counts the triggers of store/postgres/schema.cpp keep, taken at
// once: a row whose count would be 0 is absent, as the triggers leave it.
constexpr RebuiltTable kRebuilt[] = {
    {"device_version_counts",
     "INSERT INTO device_version_counts (project_id, channel, known, version, n) "
     "SELECT project_id, channel, (firmware_version IS NOT NULL)::INTEGER, COALESCE(firmware_version, ''), COUNT(*) "
     "FROM devices GROUP BY 1, 2, 3, 4",
     true},
    {"attempt_outcome_hours",
     "INSERT INTO attempt_outcome_hours (project_id, hour_start, outcome, n) "
     "SELECT project_id, (ended_at / 3600000) * 3600000, outcome, COUNT(*) FROM update_attempts "
     "WHERE ended_at IS NOT NULL AND outcome IN ('succeeded', 'failed', 'stuck', 'rolled_back') GROUP BY 1, 2, 3",
     true},
    {"release_attempt_counts",
     "INSERT INTO release_attempt_counts (release_id, outcome, n) "
     "SELECT release_id, outcome, COUNT(*) FROM update_attempts GROUP BY 1, 2",
     true},
    {"release_device_attempts",
     "INSERT INTO release_device_attempts (release_id, device_row_id, n) "
     "SELECT release_id, device_row_id, COUNT(*) FROM update_attempts GROUP BY 1, 2",
     false},
    {"release_offered_devices",
     "INSERT INTO release_offered_devices (release_id, n) "
     "SELECT release_id, COUNT(DISTINCT device_row_id) FROM update_attempts GROUP BY 1",
     true},
};

constexpr std::string_view kLeftBehind[] = {"cache_generation"};

ColumnKind kind_of(std::string declared) {
  std::transform(declared.begin(), declared.end(), declared.begin(), [](unsigned char c) { return std::toupper(c); });
  if (declared.find("INT") != std::string::npos) return ColumnKind::Integer;
  if (declared.find("REAL") != std::string::npos || declared.find("FLOA") != std::string::npos ||
      declared.find("DOUB") != std::string::npos) {
    return ColumnKind::Real;
  }
  return ColumnKind::Text;
}

}  // namespace

std::span<const std::string_view> copied_tables() { return kCopied; }
std::span<const RebuiltTable> rebuilt_tables() { return kRebuilt; }
std::span<const std::string_view> tables_left_behind() { return kLeftBehind; }

std::string_view device_count_recount_sql() {
  return "UPDATE projects SET device_count = (SELECT COUNT(*) FROM devices WHERE devices.project_id = projects.id)";
}

TableShape table_shape(sqlite::Connection& conn, std::string_view table) {
  TableShape shape{std::string(table), {}, {}};
  // hidden: 0 a stored column, 1 a virtual table's, 2 and 3 generated.
  auto columns = conn.prepare("SELECT name, type, pk FROM pragma_table_xinfo(?) WHERE hidden = 0 ORDER BY cid");
  columns.bind(1, table);
  std::vector<std::pair<std::int64_t, std::string>> key;
  while (columns.step()) {
    shape.columns.push_back({columns.text(0), kind_of(columns.text(1))});
    if (columns.int64(2) > 0) key.emplace_back(columns.int64(2), columns.text(0));
  }
  if (shape.columns.empty()) throw StoreError(fmt::format("the SQLite store has no table {}", table));
  if (key.empty()) throw StoreError(fmt::format("the SQLite table {} has no primary key", table));
  std::sort(key.begin(), key.end());
  for (auto& [position, name] : key) shape.key.push_back(std::move(name));
  return shape;
}

}  // namespace apiota::store::copy
