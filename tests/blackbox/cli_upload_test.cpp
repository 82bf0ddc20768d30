// `apiota releases upload FILE` against the real binary while a server runs
// on the same data folder: it publishes a release exactly like POST
// /api/firmware/upload (image checks, plan limit, duplicate versions,
// warnings, the audit entry, the starting state, share and schedule), prints
// the release as one JSON line, and a refused upload leaves no release and
// no firmware file behind.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "support/digests.h"
#include "support/esp_image_builder.h"
#include "support/file_probes.h"
#include "support/http_checks.h"
#include "support/polling.h"
#include "support/server_process.h"

namespace apiota::testing {
namespace {

using Bytes = std::vector<std::uint8_t>;

bool contains(const std::string& text, const std::string& fragment) { return text.find(fragment) != std::string::npos; }

class CliUpload : public ::testing::Test {
 protected:
  // Writes `image` next to the data folder and returns its path.
  std::string file_of(const Bytes& image, const std::string& name) {
    const auto path = server_.data_dir().parent_path() / name;
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(image.data()),
                                                static_cast<std::streamsize>(image.size()));
    return path.string();
  }

  Bytes image(const std::string& version, std::uint32_t seed = 1) {
    EspImageSpec spec;
    spec.version = version;
    spec.seed = seed;
    spec.payload_bytes = 4096;
    return build_esp_app_image(spec);
  }

  boost::json::array releases() { return admin_get(server_, "/api/admin/releases").at("releases").as_array(); }

  ServerProcess server_;
  httplib::Client client_ = server_.client();
};

TEST_F(CliUpload, PublishesAFileLikeTheHttpUpload) {
  ASSERT_EQ(register_device(client_, "dev-1", "cli-upload-secret-0123", server_.admin_key()), 200);
  const Bytes first = image("1.1.0");
  auto out = server_.cli({"releases", "upload", file_of(first, "a.bin"), "--version", "1.1.0", "--percent", "100",
                          "--notes", "Fixes **Wi-Fi**"});
  ASSERT_EQ(out.exit_code, 0) << out.out;
  auto printed = json_of(last_line(out.out));
  EXPECT_EQ(printed.at("version"), "1.1.0");
  EXPECT_EQ(printed.at("channel"), "stable");
  EXPECT_EQ(printed.at("filename"), "fw-1.1.0-stable.bin");
  EXPECT_EQ(printed.at("sha256"), sha256_hex(first).c_str());
  EXPECT_EQ(printed.at("md5"), md5_hex(first).c_str());
  EXPECT_EQ(printed.at("size").to_number<std::int64_t>(), static_cast<std::int64_t>(first.size()));
  EXPECT_EQ(printed.at("image_version"), "1.1.0");
  EXPECT_EQ(printed.at("notes"), "Fixes **Wi-Fi**");
  EXPECT_EQ(printed.at("state"), "active");
  EXPECT_TRUE(printed.at("uploaded_by").as_string().starts_with("cli:")) << printed.at("uploaded_by");
  EXPECT_TRUE(printed.at("warnings").as_array().empty());

  // The running server offers and serves it.
  EXPECT_TRUE(eventually([&] {
    auto res = client_.Get(check_update_path("dev-1", "1.0.0", "cli-upload-secret-0123"));
    return res && res->status == 200 && json_of(res->body).at("update") == true;
  }));
  auto dl = client_.Get("/api/firmware/fw-1.1.0-stable.bin", bearer(server_.admin_key()));
  ASSERT_EQ(status_of(dl), 200);
  EXPECT_TRUE(dl->body == std::string(first.begin(), first.end()));
  auto audit = admin_get(server_, "/api/admin/audit").at("audit").as_array();
  EXPECT_EQ(audit.at(0).at("action"), "release.upload");
  EXPECT_TRUE(audit.at(0).at("actor").as_string().starts_with("cli:")) << audit.at(0).at("actor");

  // Paused and staged from the start; the image's own version differs.
  auto staged = server_.cli({"releases", "upload", file_of(image("1.0.0", 2), "b.bin"), "--version", "1.2.0",
                             "--channel", "beta", "--paused", "--stages", "1:3600:10,100"});
  ASSERT_EQ(staged.exit_code, 0) << staged.out;
  auto second = json_of(last_line(staged.out));
  EXPECT_EQ(second.at("channel"), "beta");
  EXPECT_EQ(second.at("state"), "paused");
  EXPECT_EQ(second.at("rollout_percent").to_number<double>(), 1.0);
  EXPECT_EQ(second.at("stages").as_array().size(), 2u);
  EXPECT_EQ(second.at("stage"), 1);
  ASSERT_EQ(second.at("warnings").as_array().size(), 1u);
  EXPECT_TRUE(contains(std::string(second.at("warnings").at(0).as_string()), "1.0.0")) << second;
  EXPECT_EQ(admin_get(server_, "/api/admin/audit").at("audit").at(0).at("after").at("warnings"), second.at("warnings"));

  // The same version on the same channel again is refused.
  auto again = server_.cli({"releases", "upload", file_of(image("1.1.0", 3), "c.bin"), "--version", "1.1.0"});
  EXPECT_NE(again.exit_code, 0);
  EXPECT_TRUE(contains(again.out, "already exists")) << again.out;
  EXPECT_EQ(releases().size(), 2u);
  EXPECT_EQ(file_count(server_.data_dir() / "firmware"), 2u);
}

TEST_F(CliUpload, RefusesWhatTheHttpUploadRefusesAndLeavesNothingBehind) {
  const std::string good = file_of(image("1.0.0"), "good.bin");
  Bytes not_an_image(8192, 0x5A);
  const std::string junk = file_of(not_an_image, "junk.bin");
  const std::vector<std::vector<std::string>> refused = {
      {"releases", "upload", good, "--version", "1.0"},
      {"releases", "upload", good, "--version", "1.0.0", "--channel", "nightly"},
      {"releases", "upload", junk, "--version", "1.0.0"},
      {"releases", "upload", good, "--version", "1.0.0", "--percent", "10.555"},
      {"releases", "upload", good, "--version", "1.0.0", "--percent", "5", "--stages", "10,100"},
      {"releases", "upload", good, "--version", "1.0.0", "--stages", "50,10"},
      {"releases", "upload", good, "--version", "1.0.0", "--project", "nope"},
      {"releases", "upload", (server_.data_dir().parent_path() / "missing.bin").string(), "--version", "1.0.0"},
      {"releases", "upload", good},
  };
  for (const auto& command : refused) {
    auto out = server_.cli(command);
    EXPECT_NE(out.exit_code, 0) << command.at(3) << ": " << out.out;
  }
  ASSERT_EQ(server_.cli({"projects", "plan", "default", "--max-firmware-bytes", "1024"}).exit_code, 0);
  auto big = server_.cli({"releases", "upload", good, "--version", "1.0.0"});
  EXPECT_NE(big.exit_code, 0);
  EXPECT_TRUE(contains(big.out, "limit")) << big.out;

  EXPECT_TRUE(releases().empty());
  EXPECT_EQ(file_count(server_.data_dir() / "firmware"), 0u);
  EXPECT_EQ(file_count(server_.data_dir() / "tmp"), 0u);
}

}  // namespace
}  // namespace apiota::testing
