#include "api/audit.h"

#include <boost/json.hpp>

#include "api/clock.h"

namespace apiota::api {

void record_audit(store::Store& store, std::string_view project_id, std::string_view actor, std::string_view action,
                  std::string_view subject, const boost::json::value& before, const boost::json::value& after) {
  store.append_audit({0, std::string(project_id), std::string(actor), std::string(action), std::string(subject),
                      boost::json::serialize(before), boost::json::serialize(after), now_ms()});
}

boost::json::value config_json(const std::optional<store::ConfigRecord>& config) {
  if (!config) return nullptr;
  boost::system::error_code ec;
  auto value = boost::json::parse(config->json, ec);
  return ec ? boost::json::value(nullptr) : value;
}

}  // namespace apiota::api
