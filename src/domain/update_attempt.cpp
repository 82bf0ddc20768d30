#include "domain/update_attempt.h"

namespace apiota::domain {

AttemptStep step_for_report(const std::optional<OpenAttempt>& open, OtaStatus status,
                            const std::optional<AttemptRelease>& release) {
  AttemptStep step;
  const bool same_release = open.has_value() && release.has_value() && open->release.id == release->id;
  const bool other_release = release.has_value() && !same_release;
  if (is_in_progress(status)) {
    if (other_release) {
      if (open) step.end_open = AttemptEnd::Superseded;
      step.start = AttemptStep::Start{*release, std::nullopt};
    } else if (open) {
      step.touch_open = true;
    }
    return step;
  }
  if (!is_terminal(status)) return step;
  const AttemptEnd end = status == OtaStatus::Done ? AttemptEnd::Succeeded : AttemptEnd::Failed;
  if (other_release) {
    if (open) step.end_open = AttemptEnd::Superseded;
    step.start = AttemptStep::Start{*release, end};
  } else if (open) {
    step.end_open = end;
  }
  return step;
}

std::optional<AttemptEnd> end_for_poll(const std::optional<OpenAttempt>& open, const SemVer& reported,
                                       std::chrono::system_clock::time_point now, std::chrono::seconds stuck_after) {
  if (!open) return std::nullopt;
  if (same_precedence(reported, open->release.version)) return AttemptEnd::Succeeded;
  if (open->status == OtaStatus::Rebooting && is_bootloader_rollback(open->release.version, open->from, reported)) {
    return AttemptEnd::RolledBack;
  }
  SafetyPolicy policy;
  policy.stuck_after = stuck_after;
  if (is_stuck(open->status, open->status_at, now, policy)) return AttemptEnd::Stuck;
  return std::nullopt;
}

std::optional<AttemptOutcome> outcome_of(AttemptEnd end) {
  switch (end) {
    case AttemptEnd::Succeeded: return AttemptOutcome::Success;
    case AttemptEnd::Failed:
    case AttemptEnd::Stuck:
    case AttemptEnd::RolledBack: return AttemptOutcome::Failure;
    case AttemptEnd::Superseded:
    case AttemptEnd::Revoked: return std::nullopt;
  }
  return std::nullopt;
}

std::string_view to_string(AttemptEnd end) {
  switch (end) {
    case AttemptEnd::Succeeded: return "succeeded";
    case AttemptEnd::Failed: return "failed";
    case AttemptEnd::Stuck: return "stuck";
    case AttemptEnd::RolledBack: return "rolled_back";
    case AttemptEnd::Superseded: return "superseded";
    case AttemptEnd::Revoked: return "revoked";
  }
  return "superseded";
}

std::optional<AttemptEnd> parse_attempt_end(std::string_view text) {
  for (AttemptEnd end : {AttemptEnd::Succeeded, AttemptEnd::Failed, AttemptEnd::Stuck, AttemptEnd::RolledBack,
                         AttemptEnd::Superseded, AttemptEnd::Revoked}) {
    if (to_string(end) == text) return end;
  }
  return std::nullopt;
}

}  // namespace apiota::domain
