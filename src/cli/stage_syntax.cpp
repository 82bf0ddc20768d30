#include "cli/stage_syntax.h"

#include <stdexcept>

#include "cli/commands.h"

namespace apiota::cli {

store::RolloutStageRecord parse_stage(const std::string& text) {
  store::RolloutStageRecord stage;
  std::size_t used = 0;
  try {
    std::size_t pos = 0;
    stage.percent = std::stod(text, &pos);
    used = pos;
    if (used < text.size() && text[used] == ':') {
      stage.min_duration_s = std::stoll(text.substr(used + 1), &pos);
      used += 1 + pos;
    }
    if (used < text.size() && text[used] == ':') {
      stage.min_successes = std::stoll(text.substr(used + 1), &pos);
      used += 1 + pos;
    }
  } catch (const std::logic_error&) {
    used = 0;
  }
  if (used == 0 || used != text.size()) {
    throw UsageError("a stage is PERCENT[:MIN_DURATION_SECONDS[:MIN_SUCCESSES]], not '" + text + "'");
  }
  return stage;
}

}  // namespace apiota::cli
