// The cache_generation triggers made from one list
// (store/sqlite/cache_triggers.h): what each table's changes bump, and how an
// existing database's triggers are brought to the list.

#include "store/sqlite/cache_triggers.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "store/sqlite/sqlite_store.h"

namespace apiota::store::sqlite {
namespace {

namespace fs = std::filesystem;

class CacheTriggers : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("apiota-triggers-" + std::to_string(std::random_device{}()));
    fs::create_directories(dir_);
    open_store();
    conn_.emplace(path());
    conn_->exec(
        "INSERT INTO projects (id, name, max_devices, max_firmware_bytes, device_requests_per_minute, device_burst, "
        "created_at) VALUES ('p', 'P', 10, 10, 1, 1, 1)");
  }
  void TearDown() override {
    conn_.reset();
    fs::remove_all(dir_);
  }

  std::string path() const { return (dir_ / "apiota.db").string(); }
  void open_store() { SqliteStore store(path()); }

  std::int64_t generation(const std::string& name) {
    auto stmt = conn_->prepare("SELECT value FROM cache_generation WHERE name = ?");
    stmt.bind(1, name);
    EXPECT_TRUE(stmt.step());
    return stmt.int64(0);
  }

  // Runs `sql` and says which generation it bumped: "catalog", "devices",
  // "" for none (and "both" if it bumped both, which no change should).
  std::string bumped_by(const std::string& sql) {
    const auto catalog = generation("catalog");
    const auto devices = generation("devices");
    conn_->exec(sql);
    const bool c = generation("catalog") != catalog;
    const bool d = generation("devices") != devices;
    return c && d ? "both" : c ? "catalog" : d ? "devices" : "";
  }

  std::string stored_sql(const std::string& trigger) {
    auto stmt = conn_->prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?");
    stmt.bind(1, trigger);
    return stmt.step() ? stmt.text(0) : "";
  }

  std::int64_t schema_cookie() {
    auto stmt = conn_->prepare("PRAGMA schema_version");
    stmt.step();
    return stmt.int64(0);
  }

  fs::path dir_;
  std::optional<Connection> conn_;
};

// Written out by hand, independently of the list: what caches depend on
// (store/cache_tracking.h) and what they must not be bothered by. Each change
// runs in turn on what the ones before it left.
TEST_F(CacheTriggers, EachTableBumpsItsGenerationOnTheListedChangesOnly) {
  struct Change {
    std::string sql;
    std::string bumps;
  };
  const std::vector<Change> changes{
      {"INSERT INTO projects (id, name, max_devices, max_firmware_bytes, device_requests_per_minute, device_burst, "
       "created_at) VALUES ('q', 'Q', 1, 1, 1, 1, 1)",
       "catalog"},
      {"UPDATE projects SET name = 'R' WHERE id = 'q'", "catalog"},
      {"UPDATE projects SET max_devices = 2 WHERE id = 'q'", "catalog"},
      {"UPDATE projects SET max_firmware_bytes = 2 WHERE id = 'q'", "catalog"},
      {"UPDATE projects SET device_requests_per_minute = 2 WHERE id = 'q'", "catalog"},
      {"UPDATE projects SET device_burst = 2 WHERE id = 'q'", "catalog"},
      {"UPDATE projects SET created_at = 2 WHERE id = 'q'", ""},
      {"DELETE FROM projects WHERE id = 'q'", ""},
      {"INSERT INTO releases (id, project_id, version, channel, filename, size, sha256, md5, chip, chip_id, "
       "image_project_name, image_version, secure_version, idf_version, signature, appended_sha256, elf_sha256, "
       "uploaded_by, uploaded_at) VALUES (1, 'p', '1.0.0', 'stable', 'f.bin', 1, 's', 'm', 'esp32', 0, '', '', 0, "
       "'', '', '', '', 'k', 1)",
       "catalog"},
      {"UPDATE releases SET notes = 'n' WHERE id = 1", "catalog"},
      {"DELETE FROM releases WHERE id = 1", "catalog"},
      {"INSERT INTO pins VALUES ('p', 'tag', 'lab', '1.0.0', 1)", "catalog"},
      {"UPDATE pins SET version = '1.0.1'", "catalog"},
      {"DELETE FROM pins", "catalog"},
      // A new device: no cache holds an absent device (nor does its count in
      // the project's row move the catalog).
      {"INSERT INTO devices (device_id, project_id, secret_salt, secret_hash, registered_at) "
       "VALUES ('d', 'p', 's', 'h', 1)",
       ""},
      {"UPDATE devices SET secret_salt = 't' WHERE device_id = 'd'", "devices"},
      {"UPDATE devices SET secret_hash = 'i' WHERE device_id = 'd'", "devices"},
      {"UPDATE devices SET channel = 'beta' WHERE device_id = 'd'", "devices"},
      {"UPDATE devices SET blocked = 1 WHERE device_id = 'd'", "devices"},
      {"UPDATE devices SET last_seen_at = 5, last_address = 'a' WHERE device_id = 'd'", ""},
      {"UPDATE devices SET firmware_version = '1.0.0', version_at = 5 WHERE device_id = 'd'", ""},
      {"UPDATE devices SET blocked_reason = 'r' WHERE device_id = 'd'", ""},
      {"INSERT INTO device_tags (device_id, tag) VALUES ('d', 'lab')", "devices"},
      {"DELETE FROM device_tags", "devices"},
      {"DELETE FROM devices WHERE device_id = 'd'", "devices"},
      {"INSERT INTO audit_log (project_id, actor, action, subject, before_json, after_json, at) "
       "VALUES ('p', 'a', 'x', 's', '{}', '{}', 1)",
       ""},
  };
  for (const auto& change : changes) EXPECT_EQ(bumped_by(change.sql), change.bumps) << change.sql;
}

TEST_F(CacheTriggers, OneTriggerPerListedEventIsInTheSchema) {
  std::size_t events = 0;
  for (const auto& trigger : cache_triggers()) events += trigger.events.size();
  const auto made = cache_trigger_sql();
  ASSERT_EQ(made.size(), events);
  EXPECT_EQ(made.size(), 12u);
  for (const auto& trigger : made) EXPECT_EQ(stored_sql(trigger.name), trigger.sql) << trigger.name;
  EXPECT_EQ(made.front().name, "catalog_project_insert");
  EXPECT_EQ(made.back().name, "device_tags_delete");
}

TEST_F(CacheTriggers, AnExistingDatabaseIsBroughtToTheListOnceAndThenLeftAlone) {
  // As schema version 6 wrote them (other text), and one missing.
  conn_->exec(
      "DROP TRIGGER catalog_pin_update;"
      "CREATE TRIGGER catalog_pin_update AFTER UPDATE ON pins BEGIN\n"
      "  UPDATE cache_generation SET value = value + 1 WHERE name = 'catalog';\nEND;"
      "DROP TRIGGER devices_delete;");
  ASSERT_EQ(stored_sql("devices_delete"), "");
  open_store();
  for (const auto& trigger : cache_trigger_sql()) EXPECT_EQ(stored_sql(trigger.name), trigger.sql) << trigger.name;

  const auto cookie = schema_cookie();
  open_store();
  EXPECT_EQ(schema_cookie(), cookie) << "matching triggers were rewritten";
}

}  // namespace
}  // namespace apiota::store::sqlite
