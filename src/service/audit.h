#pragma once
// Recording operator actions in the audit log (store::AuditRecord): who
// (`actor`: the admin key's id, kCliActor for the command line, or
// "apiota" for automation), what (`action`, e.g. "device.block"), on what
// (`subject`, e.g. "device:esp32-1"), and what changed: of the subject
// rendered before and after (JSON; null where it did not exist), only the
// fields that differ (service/audit_diff.h). A change that changes nothing is not
// recorded. Written right after the change it describes; release changes are
// written in the same transaction instead (Store::insert_release,
// update_release and delete_release, with audit_record()). Throws StoreError.

#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "env/env.h"
#include "store/store.h"

namespace apiota::service {

// "cli:NAME": the OS user running the command line. NAME is the user who ran
// sudo when running as root through sudo (SUDO_USER), otherwise the name of
// the real user id (its number when it has no name).
std::string cli_actor_name();
inline const std::string kCliActor = cli_actor_name();

// The record to store for a change, at `at` (Unix ms); nullopt when nothing changed.
std::optional<store::AuditRecord> audit_record(std::string_view project_id, std::string_view actor,
                                               std::string_view action, std::string_view subject,
                                               const boost::json::value& before, const boost::json::value& after,
                                               std::int64_t at);

// Appends audit_record(..., env.now_ms()), if there is one.
void record_audit(store::Store& store, env::Env& env, std::string_view project_id, std::string_view actor, std::string_view action,
                  std::string_view subject, const boost::json::value& before, const boost::json::value& after);

// A stored config document as JSON (null when there is none).
boost::json::value config_json(const std::optional<store::ConfigRecord>& config);

}  // namespace apiota::service
