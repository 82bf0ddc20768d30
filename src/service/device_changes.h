#pragma once
// Blocking a device and moving it to another channel, shared by the admin
// API and the CLI so both apply the same rules and leave the same audit
// trail (an entry only when something changed, service/audit.h).
//
// change_device_block() blocks (`blocked`) with an optional reason, or
// unblocks and forgets the reason; change_device_channel() sets the channel
// a device follows. Both return the device as stored. Throw ApiError:
// INVALID_PARAMETER for a reason over 500 bytes or holding control
// characters or invalid UTF-8, INVALID_CHANNEL for a channel other than
// stable, beta or dev.

#include <string_view>

#include "env/env.h"
#include "store/store.h"

namespace apiota::service {

inline constexpr std::size_t kMaxBlockReasonBytes = 500;

store::DeviceRecord change_device_block(store::Store& store, env::Env& env, store::DeviceRecord device, bool blocked,
                                        std::string_view reason, std::string_view actor);
store::DeviceRecord change_device_channel(store::Store& store, env::Env& env, store::DeviceRecord device, std::string_view channel,
                                          std::string_view actor);

}  // namespace apiota::service
