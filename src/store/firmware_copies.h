#pragma once
// FirmwareCopies: firmware files kept in the store itself, for a store that
// several nodes share (PostgreSQL), where each node's firmware folder is a
// cache of them by sha256 (service/firmware_files.h). A store whose data
// folder holds the only copy (SQLite) has none (Store::firmware_copies()
// returns null). Thread-safe, blocking, and StoreError on failure, as every
// store interface (store.h).

#include <cstdint>
#include <functional>
#include <span>
#include <string_view>

#include "domain/byte_source.h"

namespace apiota::store {

class FirmwareCopies {
 public:
  virtual ~FirmwareCopies() = default;

  // Stores `bytes` under `sha256` (64 lowercase hex digits, which the caller
  // has checked they hash to), once: a copy stored before is kept as it is.
  // Throws StoreError when `bytes` cannot be read.
  virtual void put_firmware(std::string_view sha256, const domain::ByteSource& bytes) = 0;
  // Hands the stored bytes of `sha256` to `sink`, in order, a piece at a
  // time; false (and nothing handed) when the store holds no such file.
  virtual bool read_firmware(std::string_view sha256,
                             const std::function<void(std::span<const std::uint8_t>)>& sink) = 0;
  // Deletes the stored files no release refers to, among those stored an
  // hour ago or earlier (a younger one may belong to an upload whose release
  // is being written on another node); returns how many.
  virtual std::int64_t remove_unreferenced_firmware() = 0;
};

}  // namespace apiota::store
