// SqliteStore under disk faults, injected through SQLite's own OS seam, a
// VFS (tests/support/fault_vfs.h): a write that fails (a full disk, an I/O
// error), at once or in the middle of a commit, and an fsync that fails.
// A failed change throws StoreError (StoreFull for a full disk) and leaves
// nothing half-applied; the store works again once the fault is gone; and
// everything committed before the fault is there when the database is
// opened afresh on the default VFS, as by a restarted server.

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <random>

#include "store/sqlite/sqlite_store.h"
#include "support/fault_vfs.h"
#include "support/fleet_records.h"

namespace apiota::store {
namespace {

using sqlite::SqliteStore;
using testing::FaultVfs;
using Op = FaultVfs::Op;

class StoreFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("apiota-store-faults-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir_);
    store_ = open_through_faults();
    store_->upsert_project({"default", "Default", domain::Plan{}, 1000});
    ASSERT_EQ(store_->register_device(device("before"), 100).outcome, RegisterOutcome::Created);
    auto release = release_record("1.0.0");
    ASSERT_TRUE(store_->insert_release(release, testing::upload_audit));
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::unique_ptr<SqliteStore> open_through_faults() {
    return std::make_unique<SqliteStore>((dir_ / "apiota.db").string(), sqlite::SchemaPolicy::CreateIfMissing,
                                         vfs_.name());
  }
  // Closes the store and opens the file afresh on the default VFS.
  std::unique_ptr<SqliteStore> reopen_plainly() {
    store_.reset();
    return std::make_unique<SqliteStore>((dir_ / "apiota.db").string());
  }

  static DeviceRecord device(const std::string& id) {
    DeviceRecord d;
    d.device_id = id;
    d.project_id = "default";
    d.secret_salt = "salt";
    d.secret_hash = "hash-" + id;
    d.registered_at = 5000;
    d.firmware_version = "1.0.0";
    return d;
  }
  static ReleaseRecord release_record(const std::string& version) {
    ReleaseRecord r;
    r.project_id = "default";
    r.version = version;
    r.channel = domain::Channel::Stable;
    r.filename = "fw-" + version + ".bin";
    r.sha256 = std::string(64, 'a');
    return r;
  }
  static OtaLogRecord done_report() {
    return {0, "before", "default", domain::OtaStatus::Done, "1.0.0", "2.0.0", std::nullopt, 9000};
  }

  // What was committed in SetUp, read back from `store`.
  static void expect_committed_before(Store& store, const std::string& firmware = "1.0.0") {
    auto before = store.find_device("before");
    ASSERT_TRUE(before) << "a registration committed before the fault is gone";
    EXPECT_EQ(before->firmware_version, firmware);
    auto releases = store.list_releases("default");
    ASSERT_FALSE(releases.empty()) << "a release committed before the fault is gone";
    EXPECT_EQ(releases.back().version, "1.0.0");
  }

  // The kind of StoreError `op` throws: "full", "error" (any other), or "none".
  template <class Fn>
  static std::string failure_of(Fn op) {
    try {
      op();
    } catch (const StoreFull&) {
      return "full";
    } catch (const StoreError&) {
      return "error";
    }
    return "none";
  }

  FaultVfs vfs_;  // outlives the store that opens through it
  std::filesystem::path dir_;
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(StoreFaults, ARegistrationThatCannotBeWrittenThrowsAndIsNotMade) {
  for (auto [code, kind] : {std::pair{SQLITE_FULL, "full"}, std::pair{SQLITE_IOERR_WRITE, "error"}}) {
    vfs_.fail(Op::Write, code);
    EXPECT_EQ(failure_of([&] { store_->register_device(device("new"), 100); }), kind);
    vfs_.heal();
    EXPECT_FALSE(store_->find_device("new"));
  }
  EXPECT_EQ(store_->register_device(device("new"), 100).outcome, RegisterOutcome::Created);
  store_ = reopen_plainly();
  EXPECT_TRUE(store_->find_device("new"));
  expect_committed_before(*store_);
}

TEST_F(StoreFaults, AReportFailingAtAnyWriteOfItsCommitChangesNothing) {
  // A done report moves the device's firmware version in the same commit
  // as the log row; failing its first, second, ... write must leave neither.
  int failed = 0;
  for (int after = 0;; ++after) {
    vfs_.fail(Op::Write, SQLITE_IOERR_WRITE, after);
    const auto kind = failure_of([&] { store_->append_ota_log(done_report(), std::string_view("2.0.0"), AttemptWrite{}); });
    vfs_.heal();
    if (kind == "none") break;
    ++failed;
    EXPECT_EQ(kind, "error");
    EXPECT_TRUE(store_->list_ota_logs("before", 10).empty()) << "failed at write " << after;
    expect_committed_before(*store_);
  }
  EXPECT_GE(failed, 2) << "the commit should take several writes";
  store_ = reopen_plainly();
  EXPECT_EQ(store_->list_ota_logs("before", 10).size(), 1u);
  expect_committed_before(*store_, "2.0.0");
}

TEST_F(StoreFaults, AReleaseOnADiskFullMidCommitThrowsStoreFullAndIsNotInserted) {
  vfs_.fail(Op::Write, SQLITE_FULL, 1);
  auto release = release_record("1.1.0");
  EXPECT_EQ(failure_of([&] { store_->insert_release(release, testing::upload_audit); }), "full");
  vfs_.heal();
  EXPECT_EQ(store_->list_releases("default").size(), 1u);
  release = release_record("1.1.0");
  EXPECT_TRUE(store_->insert_release(release, testing::upload_audit));
  store_ = reopen_plainly();
  EXPECT_EQ(store_->list_releases("default").size(), 2u);
}

TEST_F(StoreFaults, AStoreClosedWhileWritesFailKeepsEverythingCommitted) {
  // Closing the last connection checkpoints the WAL into the database file;
  // with writes failing that checkpoint fails, and the WAL still holds it all.
  vfs_.fail(Op::Write, SQLITE_FULL);
  EXPECT_EQ(failure_of([&] { store_->register_device(device("new"), 100); }), "full");
  store_.reset();
  vfs_.heal();
  store_ = reopen_plainly();
  EXPECT_FALSE(store_->find_device("new"));
  expect_committed_before(*store_);
}

// What we found about fsync (SQLite 3.40, WAL, synchronous=NORMAL), counted
// through the VFS: a commit writes WAL frames and never fsyncs, so a failing
// fsync never fails a register, report or release. fsync happens (1) when a
// checkpoint copies the WAL into the database (twice: the WAL, then the
// database), at an explicit checkpoint, an automatic one (every 1000 pages,
// whose errors SQLite ignores) and when the last connection closes; and
// (2) when the first commit into a new, empty WAL syncs its header: the
// store's open commits (migrate() sets user_version), so that is at open.
TEST_F(StoreFaults, CommitsNeverFsyncSoAFailingFsyncNeverFailsThem) {
  vfs_.fail(Op::Sync, SQLITE_IOERR_FSYNC);
  const int syncs = vfs_.calls(Op::Sync);
  EXPECT_EQ(store_->register_device(device("new"), 100).outcome, RegisterOutcome::Created);
  store_->append_ota_log(done_report(), std::string_view("2.0.0"), AttemptWrite{});
  auto release = release_record("1.1.0");
  EXPECT_TRUE(store_->insert_release(release, testing::upload_audit));
  EXPECT_EQ(vfs_.calls(Op::Sync), syncs);
  store_.reset();  // its closing checkpoint fails at the first fsync
  EXPECT_GT(vfs_.calls(Op::Sync), syncs);
  vfs_.heal();
  store_ = reopen_plainly();
  EXPECT_TRUE(store_->find_device("new"));
  EXPECT_EQ(store_->list_releases("default").size(), 2u);
  expect_committed_before(*store_, "2.0.0");
}

TEST_F(StoreFaults, ACheckpointWhoseFsyncFailsReportsItAndLosesNothing) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2((dir_ / "apiota.db").c_str(), &db, SQLITE_OPEN_READWRITE, vfs_.name().c_str()), SQLITE_OK);
  // SQLite reads lazily: a first query puts the connection on the WAL.
  ASSERT_EQ(sqlite3_exec(db, "SELECT count(*) FROM devices", nullptr, nullptr, nullptr), SQLITE_OK);
  vfs_.fail(Op::Sync, SQLITE_IOERR_FSYNC);
  EXPECT_NE(sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr), SQLITE_OK);
  EXPECT_EQ(sqlite3_extended_errcode(db), SQLITE_IOERR_FSYNC);
  vfs_.heal();
  EXPECT_EQ(sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  store_ = reopen_plainly();
  expect_committed_before(*store_);
}

TEST_F(StoreFaults, OpeningWhileFsyncFailsIsRefusedAndHarmsNothing) {
  store_.reset();  // the closing checkpoint empties the WAL: the next commit starts a new one
  vfs_.fail(Op::Sync, SQLITE_IOERR_FSYNC);
  try {
    open_through_faults();
    ADD_FAILURE() << "the store opened although its first commit could not be synced";
  } catch (const StoreOpenError& e) {
    EXPECT_FALSE(e.damaged()) << e.what();
  }
  vfs_.heal();
  store_ = open_through_faults();
  expect_committed_before(*store_);
}

}  // namespace
}  // namespace apiota::store
