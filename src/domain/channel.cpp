#include "domain/channel.h"

namespace apiota::domain {

std::optional<Channel> parse_channel(std::string_view text) {
  if (text == "stable") return Channel::Stable;
  if (text == "beta") return Channel::Beta;
  if (text == "dev") return Channel::Dev;
  return std::nullopt;
}

std::string_view to_string(Channel channel) {
  switch (channel) {
    case Channel::Stable:
      return "stable";
    case Channel::Beta:
      return "beta";
    case Channel::Dev:
      return "dev";
  }
  return "stable";
}

bool channel_offers(Channel device_channel, Channel release_channel) {
  return static_cast<int>(release_channel) <= static_cast<int>(device_channel);
}

}  // namespace apiota::domain
