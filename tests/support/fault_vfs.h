#pragma once
// FaultVfs: an SQLite VFS for tests that injects the disk faults a store must
// survive. SQLite's own seam to the OS is its VFS; this one wraps the default
// VFS (every call runs there) and, when told to, makes xWrite or xSync fail
// with a chosen result code instead of doing anything:
//
//   FaultVfs vfs;                                    // registered as vfs.name()
//   SqliteStore store(path, policy, vfs.name());     // opens through it
//   vfs.fail(FaultVfs::Op::Write, SQLITE_FULL);      // from now on
//   vfs.fail(FaultVfs::Op::Sync, SQLITE_IOERR_FSYNC, 2);  // after 2 more syncs
//   vfs.heal();                                      // off
//
// Writes and syncs of every file count: the database, its WAL and journals.
// The VFS is registered (not as the default) for the object's lifetime;
// connections using it must be closed before it is destroyed. Thread-safe.

#include <sqlite3.h>

#include <mutex>
#include <string>

namespace apiota::testing {

class FaultVfs {
 public:
  enum class Op { Write, Sync };

  // Registers the VFS under `name`, which no other registered VFS may have.
  explicit FaultVfs(std::string name = "apiota-fault");
  ~FaultVfs();
  FaultVfs(const FaultVfs&) = delete;
  FaultVfs& operator=(const FaultVfs&) = delete;

  const std::string& name() const { return name_; }

  // After `after` more calls of `op` succeed, every call fails with `code`
  // (SQLITE_FULL or SQLITE_IOERR_WRITE for writes, SQLITE_IOERR_FSYNC for
  // syncs), until heal().
  void fail(Op op, int code, int after = 0);
  // Disarms both faults.
  void heal();
  // How many times `op` was called since construction, failed calls included.
  int calls(Op op) const;

  // Used by the VFS's file methods: counts a call of `op` and returns
  // SQLITE_OK or the code it must fail with.
  int enter(Op op);

  // What SQLite holds: the VFS it calls (first, so the callbacks find the
  // rest from the pointer SQLite passes them), the default VFS it wraps and
  // the fault state.
  struct Registration {
    sqlite3_vfs vfs;
    sqlite3_vfs* real;
    FaultVfs* owner;
  };

 private:
  struct Fault {
    int code = SQLITE_OK;
    int after = 0;
    int calls = 0;
  };
  Fault& fault(Op op) { return op == Op::Write ? write_ : sync_; }

  std::string name_;
  Registration registration_{};
  mutable std::mutex mutex_;
  Fault write_;
  Fault sync_;
};

}  // namespace apiota::testing
