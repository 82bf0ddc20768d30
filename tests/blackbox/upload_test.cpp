// POST /api/firmware/upload against the real binary: the success response and
// what it reports about the image, every refusal (missing fields, bad version
// or channel, look-alike and corrupt images, duplicates, wrong keys and
// projects), the plan's size limit both from Content-Length and mid-stream
// with chunked encoding, Expect: 100-continue, and a 16 MiB round trip.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "support/digests.h"
#include "support/esp_image_builder.h"
#include "support/file_probes.h"
#include "support/http_checks.h"
#include "support/multipart_request.h"
#include "support/polling.h"
#include "support/raw_connection.h"
#include "support/server_process.h"

namespace apiota::testing {
namespace {

using namespace std::chrono_literals;
using Bytes = std::vector<std::uint8_t>;

Bytes small_image(const std::string& version, std::uint32_t seed = 1) {
  EspImageSpec spec;
  spec.version = version;
  spec.seed = seed;
  return build_esp_app_image(spec);
}

std::size_t release_count(httplib::Client& client, const std::string& key) {
  auto res = client.Get("/api/admin/releases", bearer(key));
  if (!res || res->status != 200) return 9999;
  return json_of(res->body).at("releases").as_array().size();
}

class Upload : public ::testing::Test {
 protected:
  httplib::Result upload(const Bytes& image, const std::string& version, const std::string& channel = "stable",
                         const std::string& project = "") {
    return upload_firmware(client_, server_.admin_key(), image, version, channel, project);
  }

  ServerProcess server_;
  httplib::Client client_ = server_.client();
};

TEST_F(Upload, SuccessReportsTheImage) {
  EspImageSpec spec;
  spec.chip_id = 9;
  spec.version = "2.3.4-rc.1";
  spec.project_name = "thermostat";
  spec.idf_version = "v5.3.1";
  spec.secure_version = 7;
  spec.payload_bytes = 77777;
  Bytes image = build_esp_app_image(spec);
  auto res = upload(image, "2.3.4", "beta");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  auto body = json_of(res->body);
  EXPECT_EQ(body.at("success"), true);
  EXPECT_EQ(body.at("version"), "2.3.4");
  EXPECT_EQ(body.at("channel"), "beta");
  EXPECT_EQ(body.at("project_id"), "default");
  EXPECT_EQ(body.at("filename"), "fw-2.3.4-beta.bin");
  EXPECT_EQ(body.at("sha256"), sha256_hex(image).c_str());
  EXPECT_EQ(body.at("md5"), md5_hex(image).c_str());
  EXPECT_EQ(body.at("size").to_number<std::int64_t>(), static_cast<std::int64_t>(image.size()));
  EXPECT_EQ(body.at("chip"), "esp32s3");
  EXPECT_EQ(body.at("image_version"), "2.3.4-rc.1");
  EXPECT_EQ(body.at("image_project_name"), "thermostat");
  EXPECT_EQ(body.at("idf_version"), "v5.3.1");
  EXPECT_EQ(body.at("secure_version").to_number<int>(), 7);

  auto releases = client_.Get("/api/admin/releases", bearer(server_.admin_key()));
  ASSERT_TRUE(releases);
  auto list = json_of(releases->body);
  ASSERT_EQ(list.at("releases").as_array().size(), 1u);
  EXPECT_EQ(list.at("releases").as_array()[0].at("sha256"), sha256_hex(image).c_str());

  // Default channel is stable, and "v" is dropped from the stored version.
  Bytes second = small_image("3.0.0");
  httplib::MultipartFormDataItems items = {
      {"file", std::string(second.begin(), second.end()), "firmware.bin", "application/octet-stream"},
      {"version", "v3.0.0", "", ""}};
  auto stable = client_.Post("/api/firmware/upload", bearer(server_.admin_key()), items);
  ASSERT_TRUE(stable);
  ASSERT_EQ(stable->status, 200) << stable->body;
  EXPECT_EQ(json_of(stable->body).at("channel"), "stable");
  EXPECT_EQ(json_of(stable->body).at("version"), "3.0.0");
}

TEST_F(Upload, MissingFieldsAndBadValuesAreRefused) {
  const Bytes image = small_image("1.0.0");
  const std::string file(image.begin(), image.end());
  auto post = [&](const httplib::MultipartFormDataItems& items) {
    return client_.Post("/api/firmware/upload", bearer(server_.admin_key()), items);
  };
  EXPECT_TRUE(is_error(post({{"version", "1.0.0", "", ""}}), 400, "MISSING_PARAMETER"));
  EXPECT_TRUE(is_error(post({{"file", file, "fw.bin", "application/octet-stream"}}), 400, "MISSING_PARAMETER"));
  EXPECT_TRUE(is_error(post({{"file", file, "fw.bin", "application/octet-stream"}, {"version", "", "", ""}}), 400,
                       "MISSING_PARAMETER"));
  for (const char* bad : {"1.0", "abc", "1.0.0.0", "01.0.0", "1.0.0-"}) {
    EXPECT_TRUE(is_error(upload(image, bad), 400, "INVALID_VERSION")) << bad;
  }
  for (const char* bad : {"nightly", "STABLE ", "prod"}) {
    EXPECT_TRUE(is_error(upload(image, "1.0.0", bad), 400, "INVALID_CHANNEL")) << bad;
  }
  EXPECT_EQ(release_count(client_, server_.admin_key()), 0u);
}

TEST_F(Upload, InvalidImagesAreRefused) {
  std::mt19937 rng(7);
  Bytes random(64 * 1024);
  for (auto& b : random) b = static_cast<std::uint8_t>(rng());
  Bytes random_e9 = random;
  random_e9[0] = 0xE9;

  EspImageSpec spec;
  Bytes flipped = build_esp_app_image(spec);
  flipped[esp_app_image_layout(spec).checksum_offset] ^= 0xFF;
  EspImageSpec no_digest;
  no_digest.hash_appended = false;
  Bytes flipped_plain = build_esp_app_image(no_digest);
  flipped_plain[esp_app_image_layout(no_digest).checksum_offset] ^= 0x01;
  Bytes truncated = build_esp_app_image(spec);
  truncated.resize(truncated.size() / 2);

  const std::vector<std::pair<std::string, Bytes>> cases = {
      {"random bytes", random},
      {"random bytes with 0xE9", random_e9},
      {"bootloader", build_bootloader_image(0)},
      {"bootloader s3", build_bootloader_image(9)},
      {"merged image", build_merged_image(0)},
      {"merged image c3", build_merged_image(5)},
      {"delta patch", build_delta_patch()},
      {"encrypted", build_encrypted_image()},
      {"flipped checksum", flipped},
      {"flipped checksum, no digest", flipped_plain},
      {"truncated", truncated},
  };
  for (const auto& [name, bytes] : cases) {
    EXPECT_TRUE(is_error(upload(bytes, "1.0.0"), 400, "INVALID_FIRMWARE")) << name;
  }
  auto empty = upload(Bytes{}, "1.0.0");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->status, 400) << empty->body;
  EXPECT_EQ(release_count(client_, server_.admin_key()), 0u);
  // The valid image itself is accepted (the refusals were about the bytes).
  auto ok = upload(build_esp_app_image(spec), "1.0.0");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200) << ok->body;
}

TEST_F(Upload, DuplicateVersionOnAChannelConflicts) {
  ASSERT_EQ(status_of(upload(small_image("1.0.0", 1), "1.0.0")), 200);
  EXPECT_TRUE(is_error(upload(small_image("1.0.0", 2), "1.0.0"), 409, "VERSION_EXISTS"));
  EXPECT_TRUE(is_error(upload(small_image("1.0.0", 1), "v1.0.0", "stable"), 409, "VERSION_EXISTS"));
  auto beta = upload(small_image("1.0.0", 3), "1.0.0", "beta");
  ASSERT_TRUE(beta);
  EXPECT_EQ(beta->status, 200) << beta->body;
  EXPECT_EQ(release_count(client_, server_.admin_key()), 2u);

  // The first upload still serves its own bytes.
  Bytes first = small_image("1.0.0", 1);
  auto dl = client_.Get("/api/firmware/fw-1.0.0-stable.bin", bearer(server_.admin_key()));
  ASSERT_TRUE(dl);
  EXPECT_EQ(dl->status, 200);
  EXPECT_TRUE(dl->body == std::string(first.begin(), first.end()));
}

TEST_F(Upload, KeysAndProjectsAreChecked) {
  const Bytes image = small_image("1.0.0");
  auto prov = server_.cli({"keys", "create", "--role", "provision"});
  ASSERT_EQ(prov.exit_code, 0) << prov.out;
  EXPECT_TRUE(is_error(upload_firmware(client_, last_line(prov.out), image, "1.0.0"), 403, "FORBIDDEN"));
  EXPECT_TRUE(is_error(upload_firmware(client_, "pk_live_notakey00000000", image, "1.0.0"), 401, "UNAUTHORIZED"));

  httplib::MultipartFormDataItems items = {
      {"file", std::string(image.begin(), image.end()), "firmware.bin", "application/octet-stream"},
      {"version", "1.0.0", "", ""}};
  EXPECT_TRUE(is_error(client_.Post("/api/firmware/upload", items), 401, "UNAUTHORIZED"));
  EXPECT_TRUE(is_error(client_.Post("/api/firmware/upload", {{"Authorization", "Basic Zm9vOmJhcg=="}}, items), 401,
                       "UNAUTHORIZED"));

  ASSERT_EQ(server_.cli({"projects", "create", "b"}).exit_code, 0);
  EXPECT_TRUE(is_error(upload(image, "1.0.0", "stable", "b"), 403, "FORBIDDEN"));
  EXPECT_EQ(release_count(client_, server_.admin_key()), 0u);
  auto own = upload(image, "1.0.0", "stable", "default");
  ASSERT_TRUE(own);
  EXPECT_EQ(own->status, 200) << own->body;

  // Project b's admin key uploads into b, under b's own file name.
  auto key_b = server_.cli({"keys", "create", "--role", "admin", "--project", "b"});
  ASSERT_EQ(key_b.exit_code, 0);
  auto in_b = upload_firmware(client_, last_line(key_b.out), image, "1.0.0");
  ASSERT_TRUE(in_b);
  ASSERT_EQ(in_b->status, 200) << in_b->body;
  EXPECT_EQ(json_of(in_b->body).at("project_id"), "b");
  EXPECT_EQ(json_of(in_b->body).at("filename"), "b.fw-1.0.0-stable.bin");
  EXPECT_EQ(release_count(client_, server_.admin_key()), 1u);
}

TEST_F(Upload, DeclaredLengthOverTheLimitIsRefusedBeforeTheBody) {
  auto started = std::chrono::steady_clock::now();
  std::string reply =
      raw_exchange(server_.port(), upload_request_head(server_.admin_key(), "Content-Length: 40000000\r\n\r\n"));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(4)) << "server waited for the body";
  ASSERT_EQ(raw_status(reply), 413) << reply;
  EXPECT_NE(reply.find("\"PAYLOAD_TOO_LARGE\""), std::string::npos) << reply;
  // Unauthenticated, the same request is a 401 (authentication comes first).
  std::string anonymous = raw_exchange(
      server_.port(),
      std::string("POST /api/firmware/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; "
                  "boundary=") +
          kUploadBoundary + "\r\nContent-Length: 40000000\r\n\r\n");
  EXPECT_EQ(raw_status(anonymous), 401) << anonymous;
  EXPECT_EQ(release_count(client_, server_.admin_key()), 0u);
}

TEST_F(Upload, ChunkedUploadOverTheLimitIsRefusedMidStream) {
  auto plan = server_.cli({"projects", "plan", "default", "--max-firmware-bytes", "65536"});
  ASSERT_EQ(plan.exit_code, 0) << plan.out;
  ASSERT_TRUE(eventually([&] {
    auto res = client_.Get("/api/admin/project", bearer(server_.admin_key()));
    return res && res->status == 200 && json_of(res->body).at("plan").at("max_firmware_bytes") == 65536;
  }));

  RawConnection sock(server_.port());
  ASSERT_TRUE(sock.ok());
  ASSERT_TRUE(sock.send_all(upload_request_head(server_.admin_key(), "Transfer-Encoding: chunked\r\n\r\n")));
  ASSERT_TRUE(sock.send_all(http_chunk(multipart_field("version", "1.0.0") + multipart_file_head())));
  EspImageSpec spec;
  spec.payload_bytes = 1024 * 1024;
  Bytes big = build_esp_app_image(spec);
  std::string reply;
  std::size_t sent = 0;
  const std::size_t piece = 16 * 1024;
  while (sent < big.size()) {
    if (sock.readable_within(2ms)) break;  // the server answered early
    std::size_t n = std::min(piece, big.size() - sent);
    if (!sock.send_all(http_chunk(std::string(big.begin() + sent, big.begin() + sent + n)))) break;
    sent += n;
  }
  if (sent >= big.size()) sock.send_all(http_chunk(multipart_closing()) + "0\r\n\r\n");
  reply = sock.read_until("}", 5000ms);
  EXPECT_LT(sent, big.size()) << "the server read the whole 1 MiB before answering";
  ASSERT_EQ(raw_status(reply), 413) << reply;
  EXPECT_NE(reply.find("\"PAYLOAD_TOO_LARGE\""), std::string::npos) << reply;
  EXPECT_EQ(reply.find("Transfer-Encoding: chunked"), std::string::npos);

  const auto tmp = server_.data_dir() / "tmp";
  EXPECT_TRUE(eventually([&] { return std::filesystem::is_empty(tmp); })) << "upload left files in " << tmp;
  EXPECT_EQ(release_count(client_, server_.admin_key()), 0u);
  // A small image still fits the reduced limit.
  auto small = upload(small_image("1.0.1"), "1.0.1");
  ASSERT_TRUE(small);
  EXPECT_EQ(small->status, 200) << small->body;
}

TEST_F(Upload, ExpectContinueIsHonoured) {
  Bytes image = small_image("4.0.0");
  std::string body = multipart_field("version", "4.0.0") + multipart_field("channel", "dev") + multipart_file_head() +
                     std::string(image.begin(), image.end()) + multipart_closing();
  RawConnection sock(server_.port());
  ASSERT_TRUE(sock.ok());
  ASSERT_TRUE(
      sock.send_all(upload_request_head(server_.admin_key(), "Content-Length: " + std::to_string(body.size()) +
                                                         "\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n")));
  std::string interim = sock.read_until("\r\n\r\n", 3000ms);
  ASSERT_TRUE(interim.starts_with("HTTP/1.1 100 Continue\r\n")) << interim;
  ASSERT_EQ(interim.find("\r\n\r\n") + 4, interim.size()) << "final answer came before the body: " << interim;
  ASSERT_TRUE(sock.send_all(body));
  std::string reply = sock.read_until("}", 5000ms);
  ASSERT_EQ(raw_status(reply), 200) << reply;
  auto json_start = reply.find("\r\n\r\n");
  auto answer = json_of(reply.substr(json_start + 4));
  EXPECT_EQ(answer.at("version"), "4.0.0");
  EXPECT_EQ(answer.at("channel"), "dev");
  EXPECT_EQ(answer.at("sha256"), sha256_hex(image).c_str());
}

TEST_F(Upload, SixteenMebibytesRoundTrip) {
  // 4 segments of L bytes: image_len = ceil16(24 + 4 * (8 + L) + 1) + 32 = 16 MiB for L = 4194280.
  EspImageSpec spec;
  spec.version = "5.0.0";
  spec.segment_count = 4;
  spec.payload_bytes = 4 * 4194280;
  ASSERT_EQ(esp_app_image_layout(spec).image_len, 16u * 1024 * 1024);
  Bytes image = build_esp_app_image(spec);
  ASSERT_EQ(image.size(), 16u * 1024 * 1024);

  auto res = upload(image, "5.0.0");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(json_of(res->body).at("size").to_number<std::int64_t>(), 16 * 1024 * 1024);
  EXPECT_EQ(json_of(res->body).at("sha256"), sha256_hex(image).c_str());

  auto dl = client_.Get("/api/firmware/fw-5.0.0-stable.bin", bearer(server_.admin_key()));
  ASSERT_TRUE(dl);
  ASSERT_EQ(dl->status, 200);
  EXPECT_EQ(dl->get_header_value("Content-Length"), std::to_string(image.size()));
  ASSERT_EQ(dl->body.size(), image.size());
  EXPECT_TRUE(dl->body == std::string(image.begin(), image.end())) << "downloaded bytes differ";

  // One byte more than the plan allows is refused.
  EspImageSpec over = spec;
  over.version = "5.0.1";
  over.payload_bytes += 16;
  auto too_big = upload(build_esp_app_image(over), "5.0.1");
  EXPECT_TRUE(is_error(too_big, 413, "PAYLOAD_TOO_LARGE"));
}

TEST_F(Upload, AnImageWhoseOwnVersionDiffersIsWarnedAbout) {
  auto res = upload(small_image("1.0.0"), "9.9.9");
  ASSERT_EQ(status_of(res), 200) << res->body;
  auto warnings = json_of(res->body).at("warnings").as_array();
  ASSERT_EQ(warnings.size(), 1u) << res->body;
  const std::string warning(warnings[0].as_string());
  EXPECT_NE(warning.find("1.0.0"), std::string::npos) << warning;
  EXPECT_NE(warning.find("9.9.9"), std::string::npos) << warning;
  auto audit = admin_get(server_, "/api/admin/audit").at("audit").as_array();
  EXPECT_EQ(audit.at(0).at("after").at("warnings"), warnings);

  // Build metadata alone, a leading v, or a descriptor version that is no
  // semantic version (e.g. `git describe`) is not a disagreement.
  for (const auto& [image_version, form_version] : std::vector<std::pair<std::string, std::string>>{
           {"2.0.0+build.7", "2.0.0"}, {"v3.0.0", "3.0.0"}, {"a1b2c3d-dirty", "4.0.0"}}) {
    auto quiet = upload(small_image(image_version), form_version);
    ASSERT_EQ(status_of(quiet), 200) << quiet->body;
    EXPECT_TRUE(json_of(quiet->body).at("warnings").as_array().empty()) << image_version << ": " << quiet->body;
  }
}

TEST_F(Upload, TheOperatorDownloadsAnUploadWithTheAdminKey) {
  const Bytes image = small_image("1.0.0");
  auto res = upload(image, "1.0.0");
  ASSERT_EQ(status_of(res), 200) << res->body;
  const auto body = json_of(res->body).as_object();
  // No unsigned url: opened as it is, it could only answer 401.
  EXPECT_FALSE(body.contains("url")) << res->body;
  const std::string path = "/api/firmware/" + std::string(body.at("filename").as_string());
  auto download = client_.Get(path, bearer(server_.admin_key()));
  ASSERT_EQ(status_of(download), 200);
  EXPECT_TRUE(download->body == std::string(image.begin(), image.end()));
  EXPECT_TRUE(is_error(client_.Get(path), 401, "UNAUTHORIZED"));
}

TEST_F(Upload, AReleaseCanStartPausedAtAShareOrOnASchedule) {
  ASSERT_EQ(register_device(client_, "dev-1", "upload-start-secret-01", server_.admin_key()), 200);
  auto post = [&](const std::string& version, const std::string& channel,
                  const httplib::MultipartFormDataItems& fields) {
    const Bytes image = small_image(version);
    httplib::MultipartFormDataItems items = fields;
    items.push_back({"file", std::string(image.begin(), image.end()), "fw.bin", "application/octet-stream"});
    items.push_back({"version", version, "", ""});
    items.push_back({"channel", channel, "", ""});
    auto res = client_.Post("/api/firmware/upload", bearer(server_.admin_key()), items);
    EXPECT_EQ(status_of(res), 200) << (res ? res->body : "no response");
    return res ? json_of(res->body) : boost::json::value{};
  };

  auto paused = post("1.1.0", "stable", {{"state", "paused", "", ""}, {"notes", "Investigate first", "", ""}});
  EXPECT_EQ(paused.at("state"), "paused");
  EXPECT_EQ(paused.at("notes"), "Investigate first");
  auto poll = client_.Get(check_update_path("dev-1", "1.0.0", "upload-start-secret-01"));
  ASSERT_EQ(status_of(poll), 200);
  EXPECT_EQ(json_of(poll->body).at("update"), false) << "a release uploaded paused is not offered";
  EXPECT_EQ(admin_get(server_, "/api/admin/audit").at("audit").at(0).at("after").at("state"), "paused");

  auto share = post("1.2.0", "beta", {{"rollout_percent", "12.5", "", ""}});
  EXPECT_EQ(share.at("state"), "active");
  EXPECT_EQ(share.at("rollout_percent").to_number<double>(), 12.5);
  EXPECT_TRUE(share.at("stages").as_array().empty());

  auto staged = post("1.3.0", "dev",
                     {{"stages", R"([{"percent":1,"min_duration_seconds":3600,"min_successes":10},{"percent":100}])", "",
                       ""},
                      {"state", "active", "", ""}});
  EXPECT_EQ(staged.at("rollout_percent").to_number<double>(), 1.0);
  EXPECT_EQ(staged.at("stage"), 1);
  ASSERT_EQ(staged.at("stages").as_array().size(), 2u);
  EXPECT_EQ(staged.at("stages").at(0).at("min_successes"), 10);
}

TEST_F(Upload, BadStartingFieldsLeaveNoReleaseAndNoFile) {
  const Bytes image = small_image("1.0.0");
  const std::vector<httplib::MultipartFormDataItems> bad_fields = {
      {{"state", "revoked", "", ""}},
      {{"state", "", "", ""}},
      {{"rollout_percent", "101", "", ""}},
      {{"rollout_percent", "10.555", "", ""}},
      {{"rollout_percent", "ten", "", ""}},
      {{"rollout_percent", "", "", ""}},
      {{"stages", R"([{"percent":50},{"percent":10}])", "", ""}},
      {{"stages", "1:3600:10,100", "", ""}},
      {{"stages", R"([{"percent":10}])", "", ""}, {"rollout_percent", "5", "", ""}},
      {{"notes", std::string(65 * 1024, 'n'), "", ""}},
  };
  for (const auto& fields : bad_fields) {
    for (bool fields_first : {true, false}) {
      httplib::MultipartFormDataItems items;
      if (fields_first) items = fields;
      items.push_back({"file", std::string(image.begin(), image.end()), "fw.bin", "application/octet-stream"});
      items.push_back({"version", "1.0.0", "", ""});
      if (!fields_first) items.insert(items.end(), fields.begin(), fields.end());
      auto res = client_.Post("/api/firmware/upload", bearer(server_.admin_key()), items);
      EXPECT_TRUE(is_error(res, 400, "INVALID_PARAMETER")) << fields.at(0).name << "=" << fields.at(0).content.substr(0, 40);
    }
  }
  EXPECT_EQ(release_count(client_, server_.admin_key()), 0u);
  EXPECT_EQ(file_count(server_.data_dir() / "firmware"), 0u);
  EXPECT_TRUE(eventually([&] { return file_count(server_.data_dir() / "tmp") == 0; }));
}

}  // namespace
}  // namespace apiota::testing
