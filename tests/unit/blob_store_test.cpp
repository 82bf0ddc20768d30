// BlobStore: content-named firmware files, and the open files it keeps for
// reuse by downloads.

#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <string>

#include "blob/blob_store.h"
#include "support/fake_env.h"

namespace apiota::blob {
namespace {

const std::string kName(64, 'a');
const std::string kOther(64, 'b');

class BlobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() /
            ("apiota-blob-test-" + std::to_string(::getpid()) + "-" + std::to_string(std::random_device{}()));
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  static void put(BlobStore& store, const std::string& name, std::string_view bytes) {
    auto pending = store.create_pending();
    pending.write(bytes);
    store.commit(pending, name);
  }

  static std::string read_all(const OpenBlob& blob) {
    std::string out(blob.size, '\0');
    EXPECT_EQ(::pread(blob.fd.get(), out.data(), out.size(), 0), static_cast<ssize_t>(out.size()));
    return out;
  }

  std::filesystem::path root_;
};

TEST_F(BlobStoreTest, ACommittedBlobOpensWithItsBytesAndSize) {
  BlobStore store(root_);
  put(store, kName, "firmware bytes");
  auto blob = store.open(kName);
  ASSERT_TRUE(blob);
  EXPECT_EQ(blob->size, 14u);
  EXPECT_EQ(read_all(*blob), "firmware bytes");
  EXPECT_FALSE(store.open(kOther));
}

TEST_F(BlobStoreTest, NamesThatAreNotDigestsNeverOpen) {
  BlobStore store(root_);
  put(store, kName, "x");
  EXPECT_FALSE(store.open("../firmware/" + kName));
  EXPECT_FALSE(store.open(std::string(64, 'A')));
  EXPECT_FALSE(store.open(kName.substr(1)));
}

TEST_F(BlobStoreTest, AnOpenBlobIsReusedWithinTheWindow) {
  BlobStore store(root_);
  put(store, kName, "reused");
  auto first = store.open(kName);
  auto second = store.open(kName);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first.get(), second.get()) << "the second download opened the file again";
}

TEST_F(BlobStoreTest, AfterTheWindowTheFileIsOpenedAgain) {
  BlobStore store(root_, std::chrono::seconds(0));
  put(store, kName, "fresh");
  auto first = store.open(kName);
  auto second = store.open(kName);
  ASSERT_TRUE(first && second);
  EXPECT_NE(first.get(), second.get());
}

TEST_F(BlobStoreTest, TheReuseWindowFollowsTheEnvClock) {
  testing::FakeEnv env;
  BlobStore store(env, root_, std::chrono::seconds(60));
  put(store, kName, "reused");
  auto first = store.open(kName);
  env.advance(std::chrono::seconds(59));
  EXPECT_EQ(store.open(kName).get(), first.get());
  env.advance(std::chrono::seconds(1));
  EXPECT_NE(store.open(kName).get(), first.get());
}

TEST_F(BlobStoreTest, ARemovedBlobIsGoneAtOnceButDownloadsInFlightFinish) {
  BlobStore store(root_);
  put(store, kName, "in flight");
  auto sending = store.open(kName);
  ASSERT_TRUE(sending);
  store.remove(kName);
  EXPECT_FALSE(store.open(kName)) << "a removed blob was served from the reuse cache";
  EXPECT_EQ(read_all(*sending), "in flight");
}

TEST_F(BlobStoreTest, UnreferencedBlobsAreRemovedAndForgotten) {
  BlobStore store(root_);
  put(store, kName, "kept");
  put(store, kOther, "dropped");
  ASSERT_TRUE(store.open(kOther));
  EXPECT_EQ(store.remove_unreferenced({kName}), 1u);
  EXPECT_TRUE(store.open(kName));
  EXPECT_FALSE(store.open(kOther));
}

}  // namespace
}  // namespace apiota::blob
