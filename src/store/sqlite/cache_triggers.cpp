#include "store/sqlite/cache_triggers.h"

#include <cctype>

namespace apiota::store::sqlite {

const std::vector<CacheTrigger>& cache_triggers() {
  static const std::vector<CacheTrigger> triggers{
      {"catalog_project", "projects", "catalog",
       {"INSERT", "UPDATE OF name, max_devices, max_firmware_bytes, device_requests_per_minute, device_burst"}},
      {"catalog_release", "releases", "catalog", {"INSERT", "UPDATE", "DELETE"}},
      {"catalog_pin", "pins", "catalog", {"INSERT", "UPDATE", "DELETE"}},
      {"devices", "devices", "devices", {"UPDATE OF project_id, secret_salt, secret_hash, channel, blocked", "DELETE"}},
      {"device_tags", "device_tags", "devices", {"INSERT", "DELETE"}},
  };
  return triggers;
}

std::vector<TriggerSql> cache_trigger_sql() {
  std::vector<TriggerSql> out;
  for (const auto& trigger : cache_triggers()) {
    for (const auto& event : trigger.events) {
      std::string name = trigger.name_stem + "_";
      for (char c : event.substr(0, event.find(' '))) name.push_back(static_cast<char>(std::tolower(c)));
      std::string sql = "CREATE TRIGGER " + name + " AFTER " + event + " ON " + trigger.table +
                        " BEGIN UPDATE cache_generation SET value = value + 1 WHERE name = '" + trigger.generation +
                        "'; END";
      out.push_back({std::move(name), std::move(sql)});
    }
  }
  return out;
}

void sync_cache_triggers(Connection& conn) {
  for (const auto& trigger : cache_trigger_sql()) {
    {
      auto stored = conn.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?");
      stored.bind(1, trigger.name);
      if (stored.step() && stored.text(0) == trigger.sql) continue;
    }
    conn.exec("DROP TRIGGER IF EXISTS " + trigger.name);
    conn.exec(trigger.sql);
  }
}

}  // namespace apiota::store::sqlite
