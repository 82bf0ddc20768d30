#include "domain/config_merge.h"

#include <boost/json.hpp>

namespace apiota::domain {

boost::json::object merge_config(const boost::json::object& project_default, const boost::json::object& device) {
  // An explicit default resource, so the result never borrows an input's
  // (possibly short-lived) parse arena.
  boost::json::object merged(project_default, boost::json::storage_ptr());
  for (const auto& [key, value] : device) {
    boost::json::value* existing = merged.if_contains(key);
    if (existing != nullptr && existing->is_object() && value.is_object()) {
      *existing = merge_config(existing->get_object(), value.get_object());
    } else {
      merged[key] = value;
    }
  }
  return merged;
}

}  // namespace apiota::domain
