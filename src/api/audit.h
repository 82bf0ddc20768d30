#pragma once
// Recording operator actions in the audit log (store::AuditRecord): who
// (`actor`: the admin key's id, or "cli"), what (`action`, e.g.
// "device.block"), on what (`subject`, e.g. "device:esp32-1"), and the
// subject before and after (JSON; null where it did not exist). Written right
// after the change it describes; release changes are written in the same
// transaction instead (Store::update_release). Throws StoreError.

#include <boost/json/value.hpp>

#include <string_view>

#include "store/store.h"

namespace apiota::api {

inline constexpr std::string_view kCliActor = "cli";

void record_audit(store::Store& store, std::string_view project_id, std::string_view actor, std::string_view action,
                  std::string_view subject, const boost::json::value& before, const boost::json::value& after);

// A stored config document as JSON (null when there is none).
boost::json::value config_json(const std::optional<store::ConfigRecord>& config);

}  // namespace apiota::api
