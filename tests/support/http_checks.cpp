#include "support/http_checks.h"

namespace apiota::testing {

httplib::Headers bearer(const std::string& key) { return {{"Authorization", "Bearer " + key}}; }

::testing::AssertionResult is_error(const httplib::Result& res, int status, const std::string& code) {
  if (!res) return ::testing::AssertionFailure() << "no response (" << httplib::to_string(res.error()) << ")";
  if (res->status != status) {
    return ::testing::AssertionFailure() << "status " << res->status << " != " << status << ": " << res->body;
  }
  auto body = json_of(res->body);
  const auto* object = body.if_object();
  if (!object || !object->contains("error") || object->at("error") != code.c_str()) {
    return ::testing::AssertionFailure() << "error code is not " << code << ": " << res->body;
  }
  const auto* field = object->if_contains("status");
  if (!field || !field->is_int64() || field->as_int64() != status) {
    return ::testing::AssertionFailure() << "body status field differs: " << res->body;
  }
  return ::testing::AssertionSuccess();
}

int status_of(const httplib::Result& res) { return res ? res->status : -1; }

std::string last_line(const std::string& text) {
  std::string trimmed = text;
  while (!trimmed.empty() && (trimmed.back() == '\n' || trimmed.back() == '\r')) trimmed.pop_back();
  auto nl = trimmed.rfind('\n');
  return nl == std::string::npos ? trimmed : trimmed.substr(nl + 1);
}

std::string check_update_path(const std::string& device_id, const std::string& version, const std::string& secret) {
  return "/api/check-update?device_id=" + device_id + "&version=" + version + "&device_secret=" + secret;
}

boost::json::value admin_get(httplib::Client& client, const std::string& key, const std::string& path) {
  auto res = client.Get(path, bearer(key));
  if (!res) {
    ADD_FAILURE() << "GET " << path << ": no answer (" << httplib::to_string(res.error()) << ")";
    return nullptr;
  }
  if (res->status != 200) {
    ADD_FAILURE() << "GET " << path << " -> " << res->status << " " << res->body;
    return nullptr;
  }
  return json_of(res->body);
}

boost::json::value admin_get(const ServerProcess& server, const std::string& path) {
  auto client = server.client();
  return admin_get(client, server.admin_key(), path);
}

std::time_t parse_iso8601(const std::string& text) {
  std::tm tm{};
  if (!strptime(text.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm)) return 0;
  return timegm(&tm);
}

}  // namespace apiota::testing
