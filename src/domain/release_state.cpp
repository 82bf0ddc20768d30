#include "domain/release_state.h"

namespace apiota::domain {

std::string_view to_string(ReleaseState state) {
  switch (state) {
    case ReleaseState::Active: return "active";
    case ReleaseState::Paused: return "paused";
    case ReleaseState::Revoked: return "revoked";
  }
  return "paused";
}

std::optional<ReleaseState> parse_release_state(std::string_view name) {
  if (name == "active") return ReleaseState::Active;
  if (name == "paused") return ReleaseState::Paused;
  if (name == "revoked") return ReleaseState::Revoked;
  return std::nullopt;
}

}  // namespace apiota::domain
