#include "service/audit_diff.h"

#include <boost/json.hpp>

namespace apiota::service {

std::optional<AuditDiff> audit_diff(const boost::json::value& before, const boost::json::value& after) {
  if (before == after) return std::nullopt;
  if (!before.is_object() || !after.is_object()) return AuditDiff{before, after};
  const auto& old_fields = before.as_object();
  const auto& new_fields = after.as_object();
  boost::json::object old_changed, new_changed;
  for (const auto& [name, old_value] : old_fields) {
    const auto* new_value = new_fields.if_contains(name);
    if (!new_value) {
      old_changed[name] = old_value;
    } else if (auto diff = audit_diff(old_value, *new_value)) {
      old_changed[name] = std::move(diff->before);
      new_changed[name] = std::move(diff->after);
    }
  }
  for (const auto& [name, new_value] : new_fields) {
    if (!old_fields.contains(name)) new_changed[name] = new_value;
  }
  return AuditDiff{std::move(old_changed), std::move(new_changed)};
}

}  // namespace apiota::service
