#pragma once
// The command line's spelling of a rollout stage,
// "PERCENT[:MIN_DURATION_SECONDS[:MIN_SUCCESSES]]" (e.g. "10:86400:100"),
// shared by `releases schedule --stages` and `releases upload --stages`
// (a comma-separated list of them). parse_stage() throws
// UsageError (cli/commands.h) naming the text when it is not of that form; the
// numbers' ranges are checked by the operation (service/release_operations.h).

#include <string>

#include "store/records.h"

namespace apiota::cli {

store::RolloutStageRecord parse_stage(const std::string& text);

}  // namespace apiota::cli
