#include "domain/update_decision.h"

namespace apiota::domain {
namespace {

// True when `a` should be offered in preference to `b`.
bool is_better(const ReleaseCandidate& a, const ReleaseCandidate& b) {
  if (const int c = compare(a.version, b.version); c != 0) return c > 0;
  if (a.channel != b.channel) return static_cast<int>(a.channel) < static_cast<int>(b.channel);
  return a.id > b.id;
}

}  // namespace

std::optional<ReleaseCandidate> choose_update(const SemVer& current, Channel device_channel,
                                              std::span<const ReleaseCandidate> releases) {
  const ReleaseCandidate* best = nullptr;
  for (const ReleaseCandidate& release : releases) {
    if (!channel_offers(device_channel, release.channel)) continue;
    if (compare(release.version, current) <= 0) continue;
    if (best == nullptr || is_better(release, *best)) best = &release;
  }
  if (best == nullptr) return std::nullopt;
  return *best;
}

}  // namespace apiota::domain
