#include "support/fault_vfs.h"

#include <stdexcept>

namespace apiota::testing {
namespace {

// A file as SQLite sees it (base first), with the default VFS's own file
// for that path stored right behind it.
struct FaultFile {
  sqlite3_file base;
  FaultVfs* owner;
  sqlite3_file* real;
};

sqlite3_file* real_of(sqlite3_file* file) { return reinterpret_cast<FaultFile*>(file)->real; }
const sqlite3_io_methods& real_methods(sqlite3_file* file) { return *real_of(file)->pMethods; }

int file_close(sqlite3_file* f) { return real_methods(f).xClose(real_of(f)); }
int file_read(sqlite3_file* f, void* out, int amount, sqlite3_int64 offset) {
  return real_methods(f).xRead(real_of(f), out, amount, offset);
}
int file_write(sqlite3_file* f, const void* data, int amount, sqlite3_int64 offset) {
  if (int rc = reinterpret_cast<FaultFile*>(f)->owner->enter(FaultVfs::Op::Write)) return rc;
  return real_methods(f).xWrite(real_of(f), data, amount, offset);
}
int file_truncate(sqlite3_file* f, sqlite3_int64 size) { return real_methods(f).xTruncate(real_of(f), size); }
int file_sync(sqlite3_file* f, int flags) {
  if (int rc = reinterpret_cast<FaultFile*>(f)->owner->enter(FaultVfs::Op::Sync)) return rc;
  return real_methods(f).xSync(real_of(f), flags);
}
int file_size(sqlite3_file* f, sqlite3_int64* size) { return real_methods(f).xFileSize(real_of(f), size); }
int file_lock(sqlite3_file* f, int level) { return real_methods(f).xLock(real_of(f), level); }
int file_unlock(sqlite3_file* f, int level) { return real_methods(f).xUnlock(real_of(f), level); }
int file_check_reserved_lock(sqlite3_file* f, int* out) {
  return real_methods(f).xCheckReservedLock(real_of(f), out);
}
int file_control(sqlite3_file* f, int op, void* arg) { return real_methods(f).xFileControl(real_of(f), op, arg); }
int file_sector_size(sqlite3_file* f) { return real_methods(f).xSectorSize(real_of(f)); }
int file_device_characteristics(sqlite3_file* f) { return real_methods(f).xDeviceCharacteristics(real_of(f)); }
int file_shm_map(sqlite3_file* f, int page, int page_size, int extend, void volatile** out) {
  return real_methods(f).xShmMap(real_of(f), page, page_size, extend, out);
}
int file_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  return real_methods(f).xShmLock(real_of(f), offset, n, flags);
}
void file_shm_barrier(sqlite3_file* f) { real_methods(f).xShmBarrier(real_of(f)); }
int file_shm_unmap(sqlite3_file* f, int delete_flag) { return real_methods(f).xShmUnmap(real_of(f), delete_flag); }
int file_fetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
  return real_methods(f).xFetch(real_of(f), offset, amount, out);
}
int file_unfetch(sqlite3_file* f, sqlite3_int64 offset, void* page) {
  return real_methods(f).xUnfetch(real_of(f), offset, page);
}

const sqlite3_io_methods kMethods = {
    .iVersion = 3,
    .xClose = file_close,
    .xRead = file_read,
    .xWrite = file_write,
    .xTruncate = file_truncate,
    .xSync = file_sync,
    .xFileSize = file_size,
    .xLock = file_lock,
    .xUnlock = file_unlock,
    .xCheckReservedLock = file_check_reserved_lock,
    .xFileControl = file_control,
    .xSectorSize = file_sector_size,
    .xDeviceCharacteristics = file_device_characteristics,
    .xShmMap = file_shm_map,
    .xShmLock = file_shm_lock,
    .xShmBarrier = file_shm_barrier,
    .xShmUnmap = file_shm_unmap,
    .xFetch = file_fetch,
    .xUnfetch = file_unfetch,
};

int vfs_open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  auto* registration = reinterpret_cast<FaultVfs::Registration*>(vfs);
  auto* fault_file = reinterpret_cast<FaultFile*>(file);
  fault_file->owner = registration->owner;
  fault_file->real = reinterpret_cast<sqlite3_file*>(fault_file + 1);
  fault_file->base.pMethods = nullptr;
  int rc = registration->real->xOpen(registration->real, name, fault_file->real, flags, out_flags);
  // SQLite closes a file only when its methods are set; the real file
  // decides, since closing this one closes it.
  if (fault_file->real->pMethods) fault_file->base.pMethods = &kMethods;
  return rc;
}

}  // namespace

FaultVfs::FaultVfs(std::string name) : name_(std::move(name)) {
  sqlite3_vfs* real = sqlite3_vfs_find(nullptr);
  if (!real || real->iVersion < 2) throw std::runtime_error("no default SQLite VFS to wrap");
  // The other VFS methods (paths, access, time, randomness) are the default
  // VFS's own: they see a copy of its fields, pAppData included.
  registration_.vfs = *real;
  registration_.vfs.pNext = nullptr;
  registration_.vfs.zName = name_.c_str();
  registration_.vfs.szOsFile = static_cast<int>(sizeof(FaultFile)) + real->szOsFile;
  registration_.vfs.xOpen = vfs_open;
  registration_.real = real;
  registration_.owner = this;
  if (sqlite3_vfs_register(&registration_.vfs, 0) != SQLITE_OK) {
    throw std::runtime_error("cannot register the SQLite VFS " + name_);
  }
}

FaultVfs::~FaultVfs() { sqlite3_vfs_unregister(&registration_.vfs); }

void FaultVfs::fail(Op op, int code, int after) {
  std::lock_guard lock(mutex_);
  fault(op).code = code;
  fault(op).after = after;
}

void FaultVfs::heal() {
  std::lock_guard lock(mutex_);
  write_.code = sync_.code = SQLITE_OK;
}

int FaultVfs::calls(Op op) const {
  std::lock_guard lock(mutex_);
  return (op == Op::Write ? write_ : sync_).calls;
}

int FaultVfs::enter(Op op) {
  std::lock_guard lock(mutex_);
  Fault& f = fault(op);
  ++f.calls;
  if (f.code == SQLITE_OK) return SQLITE_OK;
  if (f.after > 0) {
    --f.after;
    return SQLITE_OK;
  }
  return f.code;
}

}  // namespace apiota::testing
