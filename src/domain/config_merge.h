#pragma once

// The effective JSON config of a device: the project-wide default with the
// device's own keys laid over it.
//
// merge_config() returns a new object. For every key of `device`: if both
// inputs hold an object under that key, the two objects are merged by the
// same rule, recursively; otherwise the device's value replaces the
// default's whole (arrays are never merged element-wise, and a device value
// of null overrides too). Keys only in `project_default` are kept. Keys keep
// the default's order, with device-only keys appended in the device's order.
// Neither input is modified; the result owns its values and uses the default
// memory resource. Recursion depth is bounded by the nesting of the inputs,
// which the JSON parser already limits.
//
// The function is pure and safe to call concurrently on shared inputs.

#include <boost/json/object.hpp>

namespace apiota::domain {

boost::json::object merge_config(const boost::json::object& project_default, const boost::json::object& device);

}  // namespace apiota::domain
