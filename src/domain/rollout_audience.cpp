#include "domain/rollout_audience.h"

namespace apiota::domain {

bool in_audience(const AudienceRelease& release, const AudienceDevice& device) {
  if (device.blocked || !channel_offers(device.channel, release.channel)) return false;
  return is_targeted(release.targeting, device.device_id, device.tags, std::to_string(release.id));
}

std::vector<Channel> audience_channels(Channel release_channel) {
  std::vector<Channel> out;
  for (const Channel device_channel : {Channel::Stable, Channel::Beta, Channel::Dev}) {
    if (channel_offers(device_channel, release_channel)) out.push_back(device_channel);
  }
  return out;
}

}  // namespace apiota::domain
