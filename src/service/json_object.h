#pragma once
// parse_json_object() reads a JSON text that must be one object: it throws
// ApiError INVALID_JSON unless the text is one JSON object whose numbers are
// all finite (a number too large for a double, such as 1e999, would be
// stored as a value no JSON reader accepts back).

#include <boost/json/object.hpp>

#include <string_view>

namespace apiota::service {

boost::json::object parse_json_object(std::string_view text);

}  // namespace apiota::service
