#pragma once
// The glue between devices' reports and polls and their update attempts
// (domain/update_attempt.h): reading the open attempt of a stored device,
// finding the release a report names, and turning the domain's decision into
// a store::AttemptWrite.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "domain/channel.h"
#include "domain/update_attempt.h"
#include "store/records.h"

namespace apiota::service {

// The device's open attempt as the domain sees it; nullopt when it has none
// or its stored target version no longer parses.
std::optional<domain::OpenAttempt> open_attempt_of(const store::DeviceRecord& device);

// The release a report's to_version names: among the project's releases with
// that version (by precedence), the open attempt's release if it is one,
// otherwise one of a channel the device follows (the most stable, then the
// newest id), otherwise any (the newest id). Nullptr when none has it.
const store::ReleaseRecord* release_named_by(std::span<const store::ReleaseRecord> releases,
                                             const store::DeviceRecord& device, const domain::SemVer& to_version,
                                             const std::optional<domain::OpenAttempt>& open);

// The store write for `step`, observed at `now` with OTA status `status`.
// `from_version` is what a started attempt records as the version it left
// (the report's from_version, else the device's stored firmware version).
store::AttemptWrite attempt_write(const domain::AttemptStep& step, const store::DeviceRecord& device,
                                  domain::OtaStatus status, const std::optional<std::string>& from_version,
                                  std::int64_t now);

// The `failed` OTA log line apiota writes for a failure the device did not
// report itself: a Stuck attempt, or a RolledBack one whose device now runs
// `running` (ignored for Stuck). Its message starts with "apiota:".
store::OtaLogRecord unreported_failure_log(const store::AttemptRecord& attempt, domain::AttemptEnd end,
                                           std::string_view running, std::int64_t now);

}  // namespace apiota::service
