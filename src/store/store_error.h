#pragma once
// The errors every store implementation throws (see store/store.h for when).
// Failures of the database itself are exceptions; "not found" never is.

#include <stdexcept>
#include <string>

namespace apiota::store {

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The disk (or quota) holding the store is full: the write was not made.
class StoreFull : public StoreError {
 public:
  using StoreError::StoreError;
};

// The database cannot be reached now: the server refused or dropped the
// connection, or is restarting. Nothing was written by the failed call (or
// its transaction was rolled back); the caller may retry later.
class StoreUnavailable : public StoreError {
 public:
  using StoreError::StoreError;
};

// Opening a store failed. The message names the database. damaged() tells
// a database that is there but unusable (not a database, corrupt, without
// apiota's tables), which only a backup or starting over can fix, from one
// that could not be reached (permissions, a read-only folder, I/O errors, a
// schema newer than this binary), which the operator fixes in place.
class StoreOpenError : public StoreError {
 public:
  StoreOpenError(const std::string& message, bool damaged) : StoreError(message), damaged_(damaged) {}
  bool damaged() const { return damaged_; }

 private:
  bool damaged_;
};

}  // namespace apiota::store
