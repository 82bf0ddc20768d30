// Corrupted-file starts: what `apiota serve` and the CLI do when the data
// folder was damaged while the server was stopped (docs/operations.md,
// "Start-up refusals").
//
// Each test installs a device and a release, stops the server, keeps a
// backup of apiota.db and secret.key, damages the folder and starts again.
// A damaged folder must be refused (exit 1, no server, no new admin key)
// with a message naming the full path and the ways out, the firmware file
// must survive the refused start byte for byte, and after the backup is put
// back the device downloads the release again. `serve --init` starts over
// and deletes nothing. A first start creates private files (0600 / 0700).

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <string>
#include <vector>

#include "support/apiota_run.h"
#include "support/digests.h"
#include "support/firmware_images.h"
#include "support/http_checks.h"
#include "support/server_process.h"

namespace apiota::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kDevice = "start-dev";
constexpr const char* kSecret = "start-device-secret-0001";

std::string read_bytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const fs::path& file, const std::string& bytes) {
  std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
}

unsigned mode_of(const fs::path& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? st.st_mode & 07777u : 0u;
}

// Entries of `dir` whose name starts with `prefix`.
std::vector<fs::path> entries_starting(const fs::path& dir, const std::string& prefix) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().filename().string().starts_with(prefix)) out.push_back(entry.path());
  }
  return out;
}

class DataFolderStart : public ::testing::Test {
 protected:
  void SetUp() override {
    auto client = server_.client();
    ASSERT_EQ(register_device(client, kDevice, kSecret, server_.admin_key()), 200);
    image_ = as_string(firmware_image("1.1.0", 30000, 7));
    auto up =
        upload_firmware(client, server_.admin_key(), std::vector<std::uint8_t>(image_.begin(), image_.end()), "1.1.0");
    ASSERT_TRUE(up);
    ASSERT_EQ(up->status, 200) << up->body;
    blob_ = data() / "firmware" / (sha256_hex(image_) + ".bin");
    ASSERT_TRUE(read_bytes(blob_) == image_);
    server_.stop();
    backup_ = data().parent_path() / "backup";
    fs::create_directories(backup_);
    for (const char* name : {"apiota.db", "apiota.db-wal", "secret.key"}) {
      if (fs::exists(data() / name)) fs::copy_file(data() / name, backup_ / name);
    }
  }

  fs::path data() const { return server_.data_dir(); }

  // Puts the backup of `name` (and, for the database, its log) back.
  void restore(const std::string& name) {
    for (const std::string& file : {name, name + "-wal", name + "-shm"}) fs::remove(data() / file);
    for (const std::string& file : {name, name + "-wal"}) {
      if (fs::exists(backup_ / file)) fs::copy_file(backup_ / file, data() / file);
    }
  }

  RunResult serve(const std::vector<std::string>& extra = {}, RunOptions options = {}) const {
    std::vector<std::string> args = {"serve", "--listen", "127.0.0.1:" + std::to_string(server_.port())};
    args.insert(args.end(), {"--data", data().string(), "--rate-limit", "off"});
    args.insert(args.end(), extra.begin(), extra.end());
    options.stop_when_serving_on = server_.port();
    return run_apiota(args, options);
  }

  // Refused: exit 1 before serving, no admin key, and every `mention` in the message.
  static void expect_refused(const std::string& what, const RunResult& run, const std::vector<std::string>& mentions) {
    SCOPED_TRACE(what);
    EXPECT_FALSE(run.served) << run.out;
    EXPECT_EQ(run.exit_code, 1) << run.out;
    EXPECT_EQ(run.out.find("admin key:"), std::string::npos) << run.out;
    for (const auto& mention : mentions) {
      EXPECT_NE(run.out.find(mention), std::string::npos) << mention << "\n" << run.out;
    }
  }

  // `serve` and two CLI commands are refused alike.
  void expect_refused_everywhere(const std::vector<std::string>& mentions) {
    expect_refused("serve", serve(), mentions);
    for (const std::vector<std::string>& command :
         {std::vector<std::string>{"keys", "list"}, std::vector<std::string>{"devices", "list"}}) {
      CommandResult cli = server_.cli(command);
      expect_refused(command[0] + " " + command[1], RunResult{cli.exit_code, cli.out, false}, mentions);
    }
  }

  void expect_firmware_kept() const { EXPECT_TRUE(read_bytes(blob_) == image_) << "the firmware file is gone or changed"; }

  // After the backup is back, the device is offered the release and downloads it byte for byte.
  void expect_device_downloads() {
    ASSERT_NO_THROW(server_.start());
    auto client = server_.client();
    auto check = client.Get(check_update_path(kDevice, "1.0.0", kSecret));
    ASSERT_TRUE(check);
    ASSERT_EQ(check->status, 200) << check->body;
    std::string url(json_of(check->body).at("url").as_string());
    ASSERT_TRUE(url.starts_with(server_.base_url())) << url;
    auto download = client.Get(url.substr(server_.base_url().size()));
    ASSERT_TRUE(download);
    EXPECT_EQ(download->status, 200);
    EXPECT_TRUE(download->body == image_) << "downloaded bytes differ from the upload";
  }

  ServerProcess server_;
  std::string image_;
  fs::path blob_;
  fs::path backup_;
};

TEST_F(DataFolderStart, ZeroLengthDatabaseIsRefusedAndTheFirmwareKept) {
  fs::resize_file(data() / "apiota.db", 0);
  expect_refused_everywhere({(data() / "apiota.db").string() + " is empty", "restore", "apiota serve --init"});
  expect_firmware_kept();
  restore("apiota.db");
  expect_device_downloads();
}

TEST_F(DataFolderStart, MissingDatabaseNextToKeyAndFirmwareIsRefused) {
  for (const char* name : {"apiota.db", "apiota.db-wal", "apiota.db-shm"}) fs::remove(data() / name);
  expect_refused_everywhere(
      {(data() / "apiota.db").string() + " is missing", "secret.key, 1 firmware file ", "apiota serve --init"});
  EXPECT_FALSE(fs::exists(data() / "apiota.db")) << "a refused start created a database";
  expect_firmware_kept();
  restore("apiota.db");
  expect_device_downloads();
}

TEST_F(DataFolderStart, GarbageDatabaseIsRefused) {
  std::string garbage;
  for (int i = 0; i < 8192; ++i) garbage.push_back(static_cast<char>((i * 131 + 7) % 256));
  write_bytes(data() / "apiota.db", garbage);
  expect_refused_everywhere(
      {(data() / "apiota.db").string() + " is not a usable apiota database", "restore", "apiota serve --init"});
  EXPECT_TRUE(read_bytes(data() / "apiota.db") == garbage) << "a refused start changed the database file";
  expect_firmware_kept();
  restore("apiota.db");
  expect_device_downloads();
}

TEST_F(DataFolderStart, MissingKeyNextToADatabaseIsRefusedAndNoKeyIsCreated) {
  fs::remove(data() / "secret.key");
  expect_refused_everywhere({(data() / "secret.key").string() + " is missing", "401", "apiota serve --init"});
  EXPECT_FALSE(fs::exists(data() / "secret.key")) << "a refused start created a new server key";
  expect_firmware_kept();
  restore("secret.key");
  expect_device_downloads();
}

TEST_F(DataFolderStart, ReplacedKeyIsRefusedNamingBothFiles) {
  std::string other_key(32, '\0');
  for (std::size_t i = 0; i < other_key.size(); ++i) other_key[i] = static_cast<char>(i * 7 + 1);
  write_bytes(data() / "secret.key", other_key);
  expect_refused_everywhere({(data() / "secret.key").string() + " is not the server key " +
                                 (data() / "apiota.db").string() + " was made with",
                             "apiota serve --init"});
  expect_firmware_kept();
  restore("secret.key");
  expect_device_downloads();
}

TEST_F(DataFolderStart, WrongSizeKeyIsRefused) {
  write_bytes(data() / "secret.key", read_bytes(backup_ / "secret.key") + "\n");
  expect_refused_everywhere(
      {(data() / "secret.key").string() + " holds 33 bytes", "exactly 32 bytes", "apiota serve --init"});
  expect_firmware_kept();
  restore("secret.key");
  expect_device_downloads();
}

// Root writes anywhere, so as root the server runs as nobody on a folder
// nobody owns but may not write; otherwise the folder is made read-only.
TEST_F(DataFolderStart, ReadOnlyDataFolderNamesTheDatabase) {
  const bool root = ::geteuid() == 0;
  const uid_t nobody = 65534;
  if (root) {
    for (const auto& entry : fs::recursive_directory_iterator(data())) {
      ASSERT_EQ(::lchown(entry.path().c_str(), nobody, nobody), 0);
    }
    ASSERT_EQ(::chown(data().c_str(), nobody, nobody), 0);
  }
  fs::permissions(data(), fs::perms::owner_read | fs::perms::owner_exec);
  RunOptions as;
  if (root) as.as_user = nobody;
  RunResult run = serve({}, as);
  fs::permissions(data(), fs::perms::owner_all);
  if (root) {
    ASSERT_EQ(::chown(data().c_str(), 0, 0), 0);
    for (const auto& entry : fs::recursive_directory_iterator(data())) {
      ASSERT_EQ(::lchown(entry.path().c_str(), 0, 0), 0);
    }
  }
  EXPECT_FALSE(run.served) << run.out;
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_NE(run.out.find("cannot open " + (data() / "apiota.db").string()), std::string::npos) << run.out;
  expect_firmware_kept();
  expect_device_downloads();
}

TEST_F(DataFolderStart, InitStartsOverAndDeletesNothing) {
  std::string garbage(5000, '\xee');
  write_bytes(data() / "apiota.db", garbage);
  const std::string key = read_bytes(data() / "secret.key");

  RunResult init = serve({"--init"});
  ASSERT_TRUE(init.served) << init.out;
  EXPECT_EQ(init.exit_code, 0) << init.out;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(init.out, m, std::regex("admin key: (pk_live_[A-Za-z0-9]+)"))) << init.out;
  const std::string new_admin = m[1];

  auto old_databases = entries_starting(data(), "apiota.db.before-init-");
  ASSERT_EQ(old_databases.size(), 1u) << init.out;
  EXPECT_TRUE(read_bytes(old_databases[0]) == garbage);
  auto old_firmware = entries_starting(data(), "firmware.before-init-");
  ASSERT_EQ(old_firmware.size(), 1u) << init.out;
  EXPECT_TRUE(read_bytes(old_firmware[0] / blob_.filename()) == image_);
  EXPECT_TRUE(read_bytes(data() / "secret.key") == key) << "a well-formed key must be kept";
  EXPECT_NE(init.out.find("moved " + (data() / "apiota.db").string() + " aside"), std::string::npos) << init.out;

  // The new install runs without --init, with the new admin key; the old device is gone.
  ASSERT_NO_THROW(server_.start());
  auto client = server_.client();
  EXPECT_EQ(status_of(client.Get("/api/admin/project", bearer(new_admin))), 200);
  EXPECT_EQ(status_of(client.Get(check_update_path(kDevice, "1.0.0", kSecret))), 401);
  server_.stop();

  // --init on a healthy folder is refused: left in a service definition it must not start over later.
  RunResult again = serve({"--init"});
  EXPECT_FALSE(again.served) << again.out;
  EXPECT_EQ(again.exit_code, 1) << again.out;
  EXPECT_NE(again.out.find("nothing to start over"), std::string::npos) << again.out;
}

TEST_F(DataFolderStart, InitSetsAMalformedKeyAside) {
  const std::string bad_key = read_bytes(data() / "secret.key").substr(0, 20);
  write_bytes(data() / "secret.key", bad_key);
  RunResult init = serve({"--init"});
  ASSERT_TRUE(init.served) << init.out;
  auto old_keys = entries_starting(data(), "secret.key.before-init-");
  ASSERT_EQ(old_keys.size(), 1u) << init.out;
  EXPECT_TRUE(read_bytes(old_keys[0]) == bad_key);
  EXPECT_EQ(read_bytes(data() / "secret.key").size(), 32u);
  EXPECT_EQ(entries_starting(data(), "apiota.db.before-init-").size(), 1u) << init.out;
}

TEST(DataFolderFirstStart, CreatesPrivateFilesAndFolders) {
  ServerProcess server;
  auto client = server.client();
  auto image = firmware_image("1.0.1", 20000, 3);
  auto up = upload_firmware(client, server.admin_key(), image, "1.0.1");
  ASSERT_TRUE(up);
  ASSERT_EQ(up->status, 200) << up->body;
  const fs::path data = server.data_dir();
  for (const char* folder : {"", "firmware", "tmp"}) EXPECT_EQ(mode_of(data / folder), 0700u) << folder;
  for (const char* file : {"apiota.db", "apiota.db-wal", "apiota.db-shm", "secret.key"}) {
    EXPECT_EQ(mode_of(data / file), 0600u) << file;
  }
  EXPECT_EQ(mode_of(data / "firmware" / (sha256_hex(image) + ".bin")), 0600u);
}

}  // namespace
}  // namespace apiota::testing
