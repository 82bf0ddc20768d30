// A disk that fills up during an upload, against the real binary: the upload
// folder (DATA/tmp) is replaced by a 1 MiB tmpfs while the server runs, and a
// larger image is uploaded. The client must get 507 INSUFFICIENT_STORAGE with
// the JSON error body (not a closed connection), no release may appear, tmp/
// must be left empty, and the server must go on serving once space is back.
// Needs permission to mount a tmpfs (root, outside a locked-down container);
// skipped with a message otherwise.

#include <gtest/gtest.h>
#include <sys/mount.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>

#include "support/firmware_images.h"
#include "support/http_checks.h"
#include "support/server_process.h"

namespace apiota::testing {
namespace {

// A small tmpfs mounted over `dir` for the lifetime of the object.
class SmallTmpfs {
 public:
  explicit SmallTmpfs(std::filesystem::path dir) : dir_(std::move(dir)) {
    if (::mount("tmpfs", dir_.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0700") != 0) {
      error_ = std::strerror(errno);
    }
  }
  ~SmallTmpfs() { unmount(); }
  SmallTmpfs(const SmallTmpfs&) = delete;
  SmallTmpfs& operator=(const SmallTmpfs&) = delete;

  bool mounted() const { return error_.empty() && !unmounted_; }
  const std::string& error() const { return error_; }
  void unmount() {
    if (error_.empty() && !unmounted_) ::umount2(dir_.c_str(), MNT_DETACH);
    unmounted_ = true;
  }

 private:
  std::filesystem::path dir_;
  std::string error_;
  bool unmounted_ = false;
};

std::size_t release_count(httplib::Client& client, const std::string& key) {
  auto res = client.Get("/api/admin/releases", bearer(key));
  if (!res || res->status != 200) return 9999;
  return json_of(res->body).at("releases").as_array().size();
}

TEST(DiskFull, UploadIsAnswered507AndLeavesNothingBehind) {
  ServerProcess server;
  SmallTmpfs disk(server.data_dir() / "tmp");
  if (!disk.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here (" << disk.error() << "): disk-full scenario skipped";
  auto client = server.client();

  auto res = upload_firmware(client, server.admin_key(), firmware_image("2.0.0", 3 * 1024 * 1024), "2.0.0");
  EXPECT_TRUE(is_error(res, 507, "INSUFFICIENT_STORAGE"));
  EXPECT_EQ(release_count(client, server.admin_key()), 0u);
  EXPECT_TRUE(std::filesystem::is_empty(server.data_dir() / "tmp")) << "a failed upload must not leave its temp file";

  disk.unmount();
  auto health = client.Get("/api/health");
  EXPECT_EQ(status_of(health), 200);
  auto retry = upload_firmware(client, server.admin_key(), firmware_image("2.0.0", 64 * 1024), "2.0.0");
  ASSERT_TRUE(retry);
  EXPECT_EQ(retry->status, 200) << retry->body;
  EXPECT_EQ(release_count(client, server.admin_key()), 1u);
}

}  // namespace
}  // namespace apiota::testing
