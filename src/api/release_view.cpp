#include "api/release_view.h"

namespace apiota::api {

std::string_view state_name(domain::ReleaseState state) {
  switch (state) {
    case domain::ReleaseState::Active: return "active";
    case domain::ReleaseState::Paused: return "paused";
    case domain::ReleaseState::Revoked: return "revoked";
  }
  return "paused";
}

std::optional<domain::ReleaseState> parse_state(std::string_view name) {
  if (name == "active") return domain::ReleaseState::Active;
  if (name == "paused") return domain::ReleaseState::Paused;
  if (name == "revoked") return domain::ReleaseState::Revoked;
  return std::nullopt;
}

std::optional<domain::ReleaseView> release_view(const store::ReleaseRecord& r) {
  auto version = domain::parse_semver(r.version);
  auto channel = domain::parse_channel(r.channel);
  if (!version || !channel) return std::nullopt;
  domain::ReleaseView view;
  view.id = r.id;
  view.version = *version;
  view.channel = *channel;
  view.state = parse_state(r.state).value_or(domain::ReleaseState::Paused);
  view.secure_version = static_cast<std::uint32_t>(r.secure_version);
  view.targeting.percent = r.rollout_percent;
  view.targeting.tags = r.rollout_tags;
  view.targeting.device_ids = r.rollout_devices;
  view.rollback_target_id = r.rollback_target_id;
  return view;
}

}  // namespace apiota::api
