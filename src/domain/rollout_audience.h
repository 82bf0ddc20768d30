#pragma once

// A release's audience: the devices it may be offered to right now by its
// targeting alone, the "eligible" count of a release's progress
// (GET /api/admin/releases/{id}/progress).
//
// in_audience() is true when the device is not blocked, its channel
// channel_offers() the release's channel, and is_targeted() (rollout tags,
// listed devices, the cohort share; domain/rollout_plan.h) holds with
// release_key std::to_string(release id): the same conditions
// decide_release() (rule d) applies to targeting. It leaves out what depends
// on the device's firmware and history (version, pins, refusals, an update in
// progress) and the release's state.
// audience_channels() lists the device channels whose devices may be offered
// a release published on `release_channel`, most stable first.
//
// Both functions are pure and safe to call concurrently; in_audience() may
// throw std::runtime_error as in_rollout() does.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "domain/channel.h"
#include "domain/rollout_plan.h"

namespace apiota::domain {

struct AudienceRelease {
  std::int64_t id = 0;
  Channel channel = Channel::Stable;
  RolloutTargeting targeting;
};

struct AudienceDevice {
  std::string device_id;
  Channel channel = Channel::Stable;
  bool blocked = false;
  std::vector<std::string> tags;
};

bool in_audience(const AudienceRelease& release, const AudienceDevice& device);

std::vector<Channel> audience_channels(Channel release_channel);

}  // namespace apiota::domain
