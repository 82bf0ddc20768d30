// FirmwareCopies on PostgreSQL: firmware files in chunks of at most 1 MiB
// (schema version 2), written in one transaction and read a chunk at a time.

#include <algorithm>
#include <vector>

#include "store/postgres/postgres_store.h"

namespace apiota::store::postgres {
namespace {

constexpr std::uint64_t kChunkBytes = 1024 * 1024;

}  // namespace

void PostgresStore::put_firmware(std::string_view sha256, const domain::ByteSource& bytes) {
  const std::uint64_t size = bytes.size();
  const std::int64_t chunks = static_cast<std::int64_t>((size + kChunkBytes - 1) / kChunkBytes);
  db_.write([&](Connection& conn) {
    // A second upload of the same bytes (here or on another node) waits for
    // the first one's row, then finds it there.
    Result added = conn.exec(
        "INSERT INTO firmware_files (sha256, size, chunks) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING "
        "RETURNING sha256",
        Params().add(sha256).add(static_cast<std::int64_t>(size)).add(chunks));
    if (!added.next()) return;
    std::vector<std::uint8_t> chunk;
    for (std::int64_t seq = 0; seq < chunks; ++seq) {
      const std::uint64_t offset = static_cast<std::uint64_t>(seq) * kChunkBytes;
      chunk.resize(std::min(kChunkBytes, size - offset));
      if (!bytes.read(offset, chunk)) throw StoreError("the firmware file to store could not be read");
      conn.exec("INSERT INTO firmware_chunks (sha256, seq, data) VALUES ($1, $2, $3)",
                Params().add(sha256).add(seq).add_bytes(chunk));
    }
  });
}

bool PostgresStore::read_firmware(std::string_view sha256,
                                  const std::function<void(std::span<const std::uint8_t>)>& sink) {
  const std::optional<std::int64_t> chunks = db_.read([&](Connection& conn) -> std::optional<std::int64_t> {
    Result r = conn.exec("SELECT chunks FROM firmware_files WHERE sha256 = $1", Params().add(sha256));
    if (!r.next()) return std::nullopt;
    return r.int64(0);
  });
  if (!chunks) return false;
  for (std::int64_t seq = 0; seq < *chunks; ++seq) {
    const std::vector<std::uint8_t> data = db_.read([&](Connection& conn) {
      Result r = conn.exec("SELECT data FROM firmware_chunks WHERE sha256 = $1 AND seq = $2",
                           Params().add(sha256).add(seq));
      if (!r.next()) throw StoreError("a stored firmware file is missing a chunk");
      return r.bytes(0);
    });
    sink(data);
  }
  return true;
}

std::int64_t PostgresStore::remove_unreferenced_firmware() {
  return db_.write([&](Connection& conn) {
    return conn
        .exec("DELETE FROM firmware_files f WHERE stored_at < now() - interval '1 hour' "
              "AND NOT EXISTS (SELECT 1 FROM releases r WHERE r.sha256 = f.sha256)")
        .affected();
  });
}

}  // namespace apiota::store::postgres
