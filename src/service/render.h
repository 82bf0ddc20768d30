#pragma once
// JSON renderings of stored records, shared by the admin API and the CLI so
// both show the same fields. Secrets and hashes are never rendered.

#include <boost/json/object.hpp>

#include "store/records.h"

namespace apiota::service {

boost::json::object render(const store::ProjectRecord& project);
boost::json::object render(const store::KeyRecord& key);
boost::json::object render(const store::DeviceRecord& device);
boost::json::object render(const store::ReleaseRecord& release);
boost::json::object render(const store::OtaLogRecord& log);
// An update attempt with its outcome: null while open, else "installed"
// (domain::AttemptEnd::Succeeded), "failed", "stuck", "rolled_back",
// "superseded" or "revoked".
boost::json::object render(const store::AttemptRecord& attempt);
boost::json::object render(const store::AuditRecord& audit);
boost::json::object render(const store::PinRecord& pin);

}  // namespace apiota::service
