// PATCH /api/admin/keys/{id} (relabel a key, audited as "key.label") and
// GET /api/admin/audit's filters and paging against the real binary: each
// filter alone and combined, paging by next_before_id without a duplicate
// or a gap, and bad parameters refused.

#include <gtest/gtest.h>
#include <pwd.h>
#include <unistd.h>

#include <ctime>
#include <set>
#include <string>
#include <vector>

#include "support/http_checks.h"
#include "support/polling.h"
#include "support/server_process.h"

namespace apiota::testing {
namespace {

constexpr const char* kSecret = "label-audit-secret-0123";

class KeyLabelAndAudit : public ::testing::Test {
 protected:
  KeyLabelAndAudit() : client_(server_.client()) {
    EXPECT_EQ(register_device(client_, "dev-1", kSecret, server_.admin_key()), 200);
    EXPECT_EQ(register_device(client_, "dev-2", kSecret, server_.admin_key()), 200);
  }

  std::string admin_key_id() {
    const auto keys = admin_get(server_, "/api/admin/keys");
    for (const auto& k : keys.at("keys").as_array()) {
      if (k.at("role") == "admin") return std::string(k.at("id").as_string());
    }
    return {};
  }

  httplib::Result patch_key(const std::string& id, const std::string& body, const std::string& key = "") {
    return client_.Patch("/api/admin/keys/" + id, bearer(key.empty() ? server_.admin_key() : key), body,
                         "application/json");
  }

  httplib::Result audit_raw(const std::string& query) {
    return client_.Get("/api/admin/audit?" + query, bearer(server_.admin_key()));
  }

  std::vector<std::int64_t> audit_ids(const std::string& query) {
    std::vector<std::int64_t> out;
    const auto page = admin_get(server_, "/api/admin/audit?" + query);
    for (const auto& e : page.at("audit").as_array()) {
      out.push_back(e.at("id").as_int64());
    }
    return out;
  }

  void post(const std::string& path) {
    EXPECT_EQ(status_of(client_.Post(path, bearer(server_.admin_key()), "", "")), 200);
  }

  ServerProcess server_;
  httplib::Client client_;
};

TEST_F(KeyLabelAndAudit, AKeyIsRelabelledAndTheChangeAudited) {
  auto created = client_.Post("/api/admin/keys", bearer(server_.admin_key()),
                              R"({"role":"provision","label":"line 1"})", "application/json");
  ASSERT_EQ(status_of(created), 201);
  const std::string id(json_of(created->body).at("id").as_string());

  auto relabelled = patch_key(id, R"({"label":"factory line 3"})");
  ASSERT_EQ(status_of(relabelled), 200) << relabelled->body;
  auto record = json_of(relabelled->body);
  EXPECT_EQ(record.at("id").as_string(), id);
  EXPECT_EQ(record.at("label"), "factory line 3");
  EXPECT_EQ(record.at("role"), "provision");
  EXPECT_TRUE(record.as_object().if_contains("key") == nullptr) << "the key is never shown again";
  bool listed = false;
  const auto keys = admin_get(server_, "/api/admin/keys");
  for (const auto& k : keys.at("keys").as_array()) {
    if (k.at("id").as_string() == id) listed = k.at("label") == "factory line 3";
  }
  EXPECT_TRUE(listed);

  auto entry = admin_get(server_, "/api/admin/audit?limit=1").at("audit").at(0);
  EXPECT_EQ(entry.at("action"), "key.label");
  EXPECT_EQ(entry.at("subject").as_string(), "key:" + id);
  EXPECT_EQ(entry.at("actor").as_string(), admin_key_id());
  EXPECT_EQ(entry.at("before"), (boost::json::object{{"label", "line 1"}}));
  EXPECT_EQ(entry.at("after"), (boost::json::object{{"label", "factory line 3"}}));

  auto cleared = patch_key(id, R"({"label":""})");
  ASSERT_EQ(status_of(cleared), 200);
  EXPECT_TRUE(json_of(cleared->body).at("label").is_null());
}

TEST_F(KeyLabelAndAudit, BadLabelsAndUnknownKeysAreRefused) {
  const std::string id = admin_key_id();
  EXPECT_TRUE(is_error(patch_key(id, R"({"label":")" + std::string(65, 'x') + R"("})"), 400, "INVALID_PARAMETER"));
  EXPECT_TRUE(is_error(patch_key(id, R"({"label":"bell\u0007"})"), 400, "INVALID_PARAMETER"));
  EXPECT_TRUE(is_error(patch_key(id, R"({"label":7})"), 400, "INVALID_PARAMETER"));
  EXPECT_TRUE(is_error(patch_key(id, R"({})"), 400, "MISSING_PARAMETER"));
  EXPECT_TRUE(is_error(patch_key(id, "label=x"), 400, "INVALID_JSON"));
  EXPECT_TRUE(is_error(patch_key("key_nobody", R"({"label":"x"})"), 404, "NOT_FOUND"));

  ASSERT_EQ(server_.cli({"projects", "create", "b"}).exit_code, 0);
  auto other = server_.cli({"keys", "create", "--role", "admin", "--project", "b"});
  ASSERT_EQ(other.exit_code, 0);
  EXPECT_TRUE(is_error(patch_key(id, R"({"label":"x"})", last_line(other.out)), 404, "NOT_FOUND"))
      << "another project's key is not found";
  EXPECT_TRUE(is_error(patch_key(id, R"({"label":"x"})", "pk_live_wrong"), 401, "UNAUTHORIZED"));
}

TEST_F(KeyLabelAndAudit, AuditFiltersSelectAndCombine) {
  const std::time_t start = std::time(nullptr);
  post("/api/admin/devices/dev-1/block");
  post("/api/admin/devices/dev-2/block");
  post("/api/admin/devices/dev-1/unblock");
  ASSERT_EQ(server_.cli({"devices", "block", "dev-1"}).exit_code, 0);
  wait_for_next_second();
  wait_for_next_second();
  const std::time_t later = std::time(nullptr);
  post("/api/admin/devices/dev-2/unblock");

  auto actions = [&](const std::string& query) {
    std::vector<std::string> out;
    const auto page = admin_get(server_, "/api/admin/audit?" + query);
    for (const auto& e : page.at("audit").as_array()) {
      out.emplace_back(std::string(e.at("action").as_string()) + " " + std::string(e.at("subject").as_string()));
    }
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(actions("action=device.block"),
            (V{"device.block device:dev-1", "device.block device:dev-2", "device.block device:dev-1"}));
  EXPECT_EQ(actions("subject=device:dev-2"), (V{"device.unblock device:dev-2", "device.block device:dev-2"}));
  EXPECT_EQ(actions("actor=" + admin_key_id() + "&subject=device:dev-1"),
            (V{"device.unblock device:dev-1", "device.block device:dev-1"}));
  const passwd* user = ::getpwuid(::getuid());
  ASSERT_NE(user, nullptr);
  EXPECT_EQ(actions("actor=cli:" + std::string(user->pw_name)), V{"device.block device:dev-1"});
  EXPECT_EQ(actions("actor=apiota"), V{});
  EXPECT_EQ(actions("since=" + std::to_string(later)), V{"device.unblock device:dev-2"});
  EXPECT_EQ(actions("until=" + std::to_string(later) + "&since=" + std::to_string(start) + "&action=device.unblock"),
            V{"device.unblock device:dev-1"});
  char iso[32];
  std::strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&later));
  EXPECT_EQ(actions(std::string("since=") + iso), V{"device.unblock device:dev-2"});
  EXPECT_EQ(actions("action=no.such"), V{});
}

TEST_F(KeyLabelAndAudit, AuditPagesByBeforeIdWithoutGapsOrRepeats) {
  for (int i = 0; i < 4; ++i) {
    post("/api/admin/devices/dev-1/block");
    post("/api/admin/devices/dev-1/unblock");
  }
  const auto all = audit_ids("limit=1000");
  ASSERT_GE(all.size(), 8u);
  EXPECT_TRUE(admin_get(server_, "/api/admin/audit?limit=1000").at("next_before_id").is_null());
  std::vector<std::int64_t> paged;
  std::string query = "limit=3";
  for (int pages = 0; pages < 20; ++pages) {
    auto page = admin_get(server_, "/api/admin/audit?" + query);
    for (const auto& e : page.at("audit").as_array()) paged.push_back(e.at("id").as_int64());
    if (page.at("next_before_id").is_null()) break;
    query = "limit=3&before_id=" + std::to_string(page.at("next_before_id").as_int64());
  }
  EXPECT_EQ(paged, all);
  EXPECT_EQ(std::set<std::int64_t>(paged.begin(), paged.end()).size(), paged.size());
}

TEST_F(KeyLabelAndAudit, BadAuditParametersAreRefused) {
  for (const std::string& query :
       std::vector<std::string>{"limit=10001", "limit=x", "since=yesterday", "until=2026-02-30T25:00:00Z",
                                "before_id=0", "before_id=x", "action=" + std::string(300, 'a'), "actor=%07"}) {
    EXPECT_TRUE(is_error(audit_raw(query), 400, "INVALID_PARAMETER")) << query;
  }
}

}  // namespace
}  // namespace apiota::testing
