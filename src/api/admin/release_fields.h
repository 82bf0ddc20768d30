#pragma once
// Reading release settings from JSON, shared by PATCH /api/admin/releases/{id}
// (a JSON body) and the upload form's `stages` field (JSON text). Each
// function throws ApiError INVALID_PARAMETER naming the field when the value
// has the wrong type; range rules are checked later, by the operation
// (service/release_operations.h).
//
// number_field() / whole_field(): the member `name` of `body` as a number /
// a whole number (at most 1e15 in magnitude); nullopt when absent or null.
// stages_from_json(): a stage schedule, an array of at most 100 objects
// {"percent": P, "min_duration_seconds": S, "min_successes": N} (percent
// required, the others 0 when absent); [] is the empty schedule.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "store/records.h"

namespace apiota::api::admin {

std::optional<double> number_field(const boost::json::object& body, std::string_view name);
std::optional<std::int64_t> whole_field(const boost::json::object& body, std::string_view name);
std::vector<store::RolloutStageRecord> stages_from_json(const boost::json::value& stages);

}  // namespace apiota::api::admin
