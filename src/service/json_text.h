#pragma once
// Numbers and JSON as people and scripts read them. Boost.JSON writes every
// double in exponent notation (30 as "3E1", 0.2 as "2E-1"); apiota writes
// each number plainly instead, in every JSON answer (admin API), in the
// CLI's output and in the Markdown changelog.
//
// plain_number() writes a finite double in fixed notation with the fewest
// digits that read back as the same double: 30 -> "30", 0.2 -> "0.2",
// 10.55 -> "10.55", 1e-7 -> "0.0000001"; -0 is "0". A value that is not
// finite (never stored: every input is validated) is written "null".
//
// to_json_text() serializes like boost::json::serialize(), except that
// doubles are written by plain_number(). The result parses back to an equal
// value, except that a whole double (30.0) reads back as the integer 30.
//
// Both are pure and safe to call concurrently.

#include <boost/json/value.hpp>

#include <string>

namespace apiota::service {

std::string plain_number(double value);

std::string to_json_text(const boost::json::value& value);

}  // namespace apiota::service
