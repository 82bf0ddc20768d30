// BlobStore under file-system faults (injected through FakeEnv): a write, an
// fsync or a rename that fails, and a disk that fills up mid-upload. Each
// failure is thrown, leaves no blob under the new name and no temp file, and
// never harms a blob committed before (including one with the same bytes).

#include <gtest/gtest.h>

#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <random>
#include <string>
#include <system_error>

#include "blob/blob_store.h"
#include "support/fake_env.h"
#include "support/file_probes.h"

namespace apiota::blob {
namespace {

using testing::FakeEnv;
using Op = FakeEnv::Op;

const std::string kEarlier(64, 'a');
const std::string kNew(64, 'c');
const std::string kEarlierBytes = "firmware committed before the fault";

class BlobFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() /
            ("apiota-blob-faults-" + std::to_string(::getpid()) + "-" + std::to_string(std::random_device{}()));
    store_.emplace(env_, root_);
    auto pending = store_->create_pending();
    pending.write(kEarlierBytes);
    store_->commit(pending, kEarlier);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(root_);
  }

  // The errno of the std::system_error `op` throws, or 0 when it throws none.
  template <class Fn>
  static int error_of(Fn op) {
    try {
      op();
    } catch (const std::system_error& e) {
      return e.code().value();
    }
    return 0;
  }

  static std::string read_all(const OpenBlob& blob) {
    std::string out(blob.size, '\0');
    EXPECT_EQ(::pread(blob.fd.get(), out.data(), out.size(), 0), static_cast<ssize_t>(out.size()));
    return out;
  }

  // Nothing of the failed upload is left, and the earlier blob is whole, as
  // read by a fresh store (no reused descriptor) on the real file system.
  void expect_only_the_earlier_blob() {
    EXPECT_EQ(testing::file_count(root_ / "tmp"), 0u) << "a temp file was left behind";
    EXPECT_EQ(testing::file_count(root_ / "firmware"), 1u);
    EXPECT_FALSE(store_->open(kNew)) << "a failed upload is visible under its content name";
    BlobStore fresh(root_);
    auto earlier = fresh.open(kEarlier);
    ASSERT_TRUE(earlier) << "the blob committed before the fault is gone";
    EXPECT_EQ(read_all(*earlier), kEarlierBytes);
  }

  // After heal() the store works again: an upload commits and reads back.
  void expect_uploads_work_again() {
    env_.heal();
    auto pending = store_->create_pending();
    pending.write("after the fault");
    store_->commit(pending, kNew);
    auto blob = store_->open(kNew);
    ASSERT_TRUE(blob);
    EXPECT_EQ(read_all(*blob), "after the fault");
    EXPECT_EQ(testing::file_count(root_ / "tmp"), 0u);
  }

  std::filesystem::path root_;
  FakeEnv env_;
  std::optional<BlobStore> store_;
};

TEST_F(BlobFaults, AFailedWriteThrowsAndLeavesNothing) {
  for (int error : {ENOSPC, EIO}) {
    {
      auto pending = store_->create_pending();
      pending.write("first chunk");
      env_.fail_next(Op::Write, error);
      EXPECT_EQ(error_of([&] { pending.write("second chunk"); }), error);
    }
    expect_only_the_earlier_blob();
  }
  expect_uploads_work_again();
}

TEST_F(BlobFaults, ADiskThatFillsUpMidUploadThrowsAndLeavesNothing) {
  env_.disk_full_after(10'000);
  {
    auto pending = store_->create_pending();
    const std::string chunk(4096, 'x');
    int error = 0;
    for (int i = 0; i < 10 && error == 0; ++i) error = error_of([&] { pending.write(chunk); });
    EXPECT_EQ(error, ENOSPC);
    EXPECT_EQ(pending.size(), 8192u) << "the chunks that fit were not counted";
  }
  expect_only_the_earlier_blob();
  expect_uploads_work_again();
}

TEST_F(BlobFaults, AFailedFsyncOrRenameAtCommitThrowsAndRemovesTheTempFileAtOnce) {
  for (Op op : {Op::Sync, Op::Rename}) {
    auto pending = store_->create_pending();
    pending.write("new firmware");
    env_.fail_next(op, EIO);
    EXPECT_EQ(error_of([&] { store_->commit(pending, kNew); }), EIO);
    expect_only_the_earlier_blob();  // while `pending` is still held
  }
  expect_uploads_work_again();
}

TEST_F(BlobFaults, AFailedReuploadOfTheSameBytesLeavesTheEarlierBlobWhole) {
  for (Op op : {Op::Write, Op::Sync, Op::Rename}) {
    {
      auto pending = store_->create_pending();
      env_.fail_next(op, ENOSPC);
      EXPECT_EQ(error_of([&] {
                  pending.write(kEarlierBytes);
                  store_->commit(pending, kEarlier);
                }),
                ENOSPC);
    }
    expect_only_the_earlier_blob();
  }
}

TEST_F(BlobFaults, AFailedFolderFsyncAfterTheRenameLeavesTheWholeBlob) {
  // The data was fsynced before the rename, so the name holds every byte;
  // only the folder entry's durability is in doubt, which is reported.
  auto pending = store_->create_pending();
  pending.write("new firmware");
  env_.fail_next(Op::SyncDir, EIO);
  EXPECT_EQ(error_of([&] { store_->commit(pending, kNew); }), EIO);
  EXPECT_EQ(testing::file_count(root_ / "tmp"), 0u);
  auto blob = store_->open(kNew);
  ASSERT_TRUE(blob);
  EXPECT_EQ(read_all(*blob), "new firmware");
  EXPECT_EQ(store_->remove_unreferenced({kEarlier}), 1u) << "the unreferenced blob is removed at the next start";
  expect_only_the_earlier_blob();
}

TEST_F(BlobFaults, ATempFileThatCouldNotBeRemovedIsCleanedAtTheNextStart) {
  {
    auto pending = store_->create_pending();
    pending.write("abandoned");
    env_.fail_next(Op::RemoveFile, EIO);
  }
  EXPECT_EQ(testing::file_count(root_ / "tmp"), 1u);
  EXPECT_EQ(store_->clean_temp(), 1u);
  expect_only_the_earlier_blob();
}

TEST_F(BlobFaults, ABlobThatCannotBeOpenedIsNotFoundAndNotRemembered) {
  BlobStore store(env_, root_);
  env_.fail_next(Op::OpenForReading, EMFILE);
  EXPECT_FALSE(store.open(kEarlier));
  auto blob = store.open(kEarlier);
  ASSERT_TRUE(blob);
  EXPECT_EQ(read_all(*blob), kEarlierBytes);
}

}  // namespace
}  // namespace apiota::blob
