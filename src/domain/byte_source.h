// A ByteSource is a read-only, random-access view of a sequence of bytes of
// known length. Parsers that inspect large files (firmware images can reach
// 32 MiB) take a ByteSource so they can read only the ranges they need, in
// bounded chunks, without holding the whole file in memory. The server passes
// a source backed by pread() on an uploaded file; tests pass MemoryByteSource.
//
// size() returns the total number of bytes. read(offset, out) fills `out`
// with bytes [offset, offset + out.size()) and returns true; it returns false,
// leaving `out` unspecified, when that range is not entirely inside
// [0, size()) or when the underlying storage fails. Reading an empty span at
// any offset <= size() succeeds.
//
// Implementations must be safe for concurrent calls to the const methods from
// several threads (pread-style: no shared cursor). A source does not own the
// caller's buffers; MemoryByteSource does not own the bytes it views, which
// must outlive it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>

namespace apiota::domain {

class ByteSource {
 public:
  virtual ~ByteSource() = default;

  virtual std::uint64_t size() const = 0;

  virtual bool read(std::uint64_t offset, std::span<std::uint8_t> out) const = 0;
};

class MemoryByteSource final : public ByteSource {
 public:
  explicit MemoryByteSource(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

  std::uint64_t size() const override { return bytes_.size(); }

  bool read(std::uint64_t offset, std::span<std::uint8_t> out) const override {
    if (offset > bytes_.size() || out.size() > bytes_.size() - offset) return false;
    std::copy_n(bytes_.begin() + static_cast<std::ptrdiff_t>(offset), out.size(), out.begin());
    return true;
  }

 private:
  std::span<const std::uint8_t> bytes_;
};

}  // namespace apiota::domain
