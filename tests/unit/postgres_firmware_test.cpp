// FirmwareCopies on PostgreSQL (store/firmware_copies.h): files stored in
// chunks and read back whole, stored once, and removed only when no release
// refers to them and they are old enough not to belong to an upload in
// progress; a SQLite store keeps none.

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "crypto/digest.h"
#include "store/postgres/postgres_store.h"
#include "support/fleet_records.h"
#include "support/postgres_cluster.h"
#include "support/raw_sql.h"
#include "support/store_factories.h"

namespace apiota::store {
namespace {

std::vector<std::uint8_t> pattern(std::size_t size, std::uint8_t seed) {
  std::vector<std::uint8_t> out(size);
  for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<std::uint8_t>(seed + i * 7 + i / 4096);
  return out;
}

std::string sha256_of(const std::vector<std::uint8_t>& bytes) {
  crypto::Digest digest(crypto::DigestKind::Sha256);
  digest.update(bytes);
  return crypto::to_hex(digest.finish());
}

class PostgresFirmware : public ::testing::Test {
 protected:
  PostgresFirmware() : uri_(testing::shared_postgres().create_database()), store_(uri_, 4) {
    store_.upsert_project({"default", "Default", domain::Plan{}, 1});
  }

  std::vector<std::uint8_t> read_back(const std::string& sha256, bool& found) {
    std::vector<std::uint8_t> out;
    found = store_.read_firmware(sha256, [&](std::span<const std::uint8_t> piece) {
      out.insert(out.end(), piece.begin(), piece.end());
    });
    return out;
  }

  std::string uri_;
  postgres::PostgresStore store_;
};

TEST_F(PostgresFirmware, AFileOfSeveralChunksComesBackWholeAndIsStoredOnce) {
  const auto bytes = pattern(2 * 1024 * 1024 + 12345, 3);
  const std::string sha = sha256_of(bytes);
  store_.put_firmware(sha, domain::MemoryByteSource(bytes));
  store_.put_firmware(sha, domain::MemoryByteSource(bytes));  // the same upload again
  bool found = false;
  EXPECT_EQ(read_back(sha, found), bytes);
  EXPECT_TRUE(found);
  auto raw = testing::raw_postgres(uri_);
  EXPECT_EQ(raw->rows("SELECT COUNT(*) FROM firmware_files"), std::vector<std::string>{"1"});
  EXPECT_EQ(raw->rows("SELECT COUNT(*) FROM firmware_chunks"), std::vector<std::string>{"3"});

  const std::vector<std::uint8_t> empty;
  store_.put_firmware(sha256_of(empty), domain::MemoryByteSource(empty));
  EXPECT_TRUE(read_back(sha256_of(empty), found).empty());
  EXPECT_TRUE(found);
}

TEST_F(PostgresFirmware, AnUnknownFileIsNotFoundAndHandsNothing) {
  bool found = true;
  EXPECT_TRUE(read_back(std::string(64, 'a'), found).empty());
  EXPECT_FALSE(found);
}

TEST_F(PostgresFirmware, OnlyOldFilesNoReleaseRefersToAreRemoved) {
  const auto referenced = pattern(1000, 1), unreferenced = pattern(1000, 2), young = pattern(1000, 3);
  for (const auto* bytes : {&referenced, &unreferenced, &young}) {
    store_.put_firmware(sha256_of(*bytes), domain::MemoryByteSource(*bytes));
  }
  ReleaseRecord release = testing::release_record("default", "1.0.0");
  release.sha256 = sha256_of(referenced);
  ASSERT_TRUE(store_.insert_release(release, testing::upload_audit));
  auto raw = testing::raw_postgres(uri_);
  raw->exec("UPDATE firmware_files SET stored_at = now() - interval '2 hours' WHERE sha256 IN ('" +
            sha256_of(referenced) + "', '" + sha256_of(unreferenced) + "')");

  EXPECT_EQ(store_.remove_unreferenced_firmware(), 1);
  bool found = false;
  read_back(sha256_of(unreferenced), found);
  EXPECT_FALSE(found);
  EXPECT_EQ(read_back(sha256_of(referenced), found), referenced);
  EXPECT_EQ(read_back(sha256_of(young), found), young);
  EXPECT_EQ(raw->rows("SELECT COUNT(*) FROM firmware_chunks"), std::vector<std::string>{"2"});
}

TEST(FirmwareCopiesOf, AStoreWhoseFolderHoldsTheOnlyCopyHasNone) {
  testing::TempFolder dir("apiota-firmware-copies");
  EXPECT_EQ(testing::sqlite_store()(dir.path())->firmware_copies(), nullptr);
  EXPECT_NE(testing::postgres_store()(dir.path())->firmware_copies(), nullptr);
}

}  // namespace
}  // namespace apiota::store
