#pragma once
// What an audit entry keeps of a change: only what changed, so an entry
// reads as "channel: stable -> beta" rather than two full copies of the
// subject.
//
// Of two JSON objects, the diff keeps each field whose value differs, on the
// side(s) that have it: a field only `after` has appears only in the diff's
// `after`. Fields that are objects on both sides are compared field by field
// (a plan change keeps only the limit that moved). Anything else (a subject
// created or deleted, where one side is null; arrays; plain values) is kept
// whole on both sides when it differs. Returns nullopt when nothing differs.

#include <boost/json/value.hpp>

#include <optional>

namespace apiota::service {

struct AuditDiff {
  boost::json::value before;
  boost::json::value after;
};

std::optional<AuditDiff> audit_diff(const boost::json::value& before, const boost::json::value& after);

}  // namespace apiota::service
