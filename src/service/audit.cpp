#include "service/audit.h"

#include <pwd.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <cstdlib>

#include "service/audit_diff.h"
#include "service/json_text.h"

namespace apiota::service {

std::string cli_actor_name() {
  const uid_t uid = ::getuid();
  if (uid == 0) {
    const char* sudo_user = std::getenv("SUDO_USER");
    if (sudo_user && *sudo_user) return "cli:" + std::string(sudo_user);
  }
  // getpwuid_r: the buffer is ours, whatever other threads look up.
  passwd entry{};
  passwd* found = nullptr;
  char buffer[4096];
  if (::getpwuid_r(uid, &entry, buffer, sizeof buffer, &found) == 0 && found && found->pw_name) {
    return "cli:" + std::string(found->pw_name);
  }
  return "cli:" + std::to_string(uid);
}

std::optional<store::AuditRecord> audit_record(std::string_view project_id, std::string_view actor,
                                               std::string_view action, std::string_view subject,
                                               const boost::json::value& before, const boost::json::value& after,
                                               std::int64_t at) {
  auto diff = audit_diff(before, after);
  if (!diff) return std::nullopt;
  return store::AuditRecord{0,
                            std::string(project_id),
                            std::string(actor),
                            std::string(action),
                            std::string(subject),
                            to_json_text(diff->before),
                            to_json_text(diff->after),
                            at};
}

void record_audit(store::Store& store, env::Env& env, std::string_view project_id, std::string_view actor, std::string_view action,
                  std::string_view subject, const boost::json::value& before, const boost::json::value& after) {
  if (auto record = audit_record(project_id, actor, action, subject, before, after, env.now_ms())) {
    store.append_audit(*record);
  }
}

boost::json::value config_json(const std::optional<store::ConfigRecord>& config) {
  if (!config) return nullptr;
  boost::system::error_code ec;
  auto value = boost::json::parse(config->json, ec);
  return ec ? boost::json::value(nullptr) : value;
}

}  // namespace apiota::service
