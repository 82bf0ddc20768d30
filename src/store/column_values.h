#pragma once
// How record fields are stored in database columns, both ways (the same in
// every store implementation). Most fields map
// to a column of their own type; the others are stored as text: lists as
// comma-separated items (tags and device ids cannot contain commas), rollout
// stages as "percent:min_duration_s:min_successes" items, key roles and the
// domain's enumerations by name (their to_string()), an open attempt's outcome as '', flags as 0/1. read_column
// has one overload per field type, so a RowMapping (row_mapping.h) picks the
// representation from the field alone.
//
// A name this binary does not know never fails a read: it reads as the safe
// value its enumeration's header names (beside each overload below).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/records.h"
#include "store/row_values.h"

namespace apiota::store {

// Reads result column `index` of the current row into `out`.
void read_column(const RowValues& s, int index, std::int64_t& out);
void read_column(const RowValues& s, int index, double& out);
void read_column(const RowValues& s, int index, bool& out);
void read_column(const RowValues& s, int index, std::string& out);
void read_column(const RowValues& s, int index, std::optional<std::string>& out);
void read_column(const RowValues& s, int index, std::optional<std::int64_t>& out);
void read_column(const RowValues& s, int index, KeyRole& out);
// A state this binary does not know is read as paused: never offered.
void read_column(const RowValues& s, int index, domain::ReleaseState& out);
// A device's channel: one this binary does not know is read as stable
// (offered stable releases only). A release's is read by read_release_channel.
void read_column(const RowValues& s, int index, domain::Channel& out);
// A release's channel: one this binary does not know is read as dev (offered
// only to devices on dev, which take every release).
void read_release_channel(const RowValues& s, int index, ReleaseRecord& out);
// A status this binary does not know is read as pending: an attempt in that
// state is neither in progress (never stuck) nor over.
void read_column(const RowValues& s, int index, domain::OtaStatus& out);
// '' (open) reads as std::nullopt; an outcome this binary does not know as
// superseded: ended, counted neither as a success nor as a failure.
void read_column(const RowValues& s, int index, std::optional<domain::AttemptEnd>& out);
// A scope this binary does not know (the schema allows none) is read as device.
void read_column(const RowValues& s, int index, domain::PinScope& out);
void read_column(const RowValues& s, int index, std::vector<std::string>& out);
// NULL reads as an empty list.
void read_column(const RowValues& s, int index, std::vector<std::int64_t>& out);
void read_column(const RowValues& s, int index, std::vector<RolloutStageRecord>& out);

// The stored text of the fields read_column reads from text.
std::string stored_list(const std::vector<std::string>& items);
std::string stored_stages(const std::vector<RolloutStageRecord>& stages);
std::string_view stored_role(KeyRole role);
std::string_view stored_outcome(const std::optional<domain::AttemptEnd>& outcome);

}  // namespace apiota::store
