#include "domain/rollout_safety.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace apiota::domain {
namespace {

// "40%", "33.3%": one decimal, dropped when it is zero.
std::string format_percent(double rate) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", rate * 100);
  std::string out(text);
  if (out.size() > 2 && out.compare(out.size() - 2, 2, ".0") == 0) out.resize(out.size() - 2);
  return out + "%";
}

}  // namespace

SafetyVerdict evaluate_safety(std::span<const AttemptOutcome> outcomes_oldest_first, const SafetyPolicy& policy) {
  const std::size_t attempts = std::min(policy.window, outcomes_oldest_first.size());
  const std::span<const AttemptOutcome> recent = outcomes_oldest_first.last(attempts);
  const auto failures = static_cast<std::size_t>(std::count(recent.begin(), recent.end(), AttemptOutcome::Failure));
  const double rate = attempts == 0 ? 0.0 : static_cast<double>(failures) / static_cast<double>(attempts);

  const char* noun = attempts == 1 ? " attempt" : " attempts";
  SafetyVerdict verdict{false, rate, attempts, {}};
  if (attempts == 0 || attempts < policy.min_attempts) {
    verdict.reason = std::to_string(attempts) + noun + ", fewer than the " +
                     std::to_string(std::max<std::size_t>(policy.min_attempts, 1)) + " needed to judge";
    return verdict;
  }
  verdict.pause = rate > policy.max_failure_rate;
  verdict.reason = std::to_string(failures) + " of the last " + std::to_string(attempts) + noun + " failed (" +
                   format_percent(rate) + (verdict.pause ? " > " : " <= ") + format_percent(policy.max_failure_rate) +
                   ")";
  return verdict;
}

bool is_stuck(OtaStatus last_status, std::chrono::system_clock::time_point last_status_at,
              std::chrono::system_clock::time_point now, const SafetyPolicy& policy) {
  return is_in_progress(last_status) && now - last_status_at > policy.stuck_after;
}

bool is_bootloader_rollback(const SemVer& target, const std::optional<SemVer>& previous, const SemVer& reported) {
  if (same_precedence(reported, target)) return false;
  if (previous.has_value() && same_precedence(reported, *previous)) return true;
  return compare(reported, target) < 0;
}

}  // namespace apiota::domain
