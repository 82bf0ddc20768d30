#pragma once
// Replacing a device's tags, shared by the admin API and the CLI: validates
// every tag (INVALID_PARAMETER unless 1-32 of a-z 0-9 . _ -), stores them and
// appends a "device.tags" audit record. Returns the stored tags (sorted,
// without duplicates).

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "env/env.h"
#include "store/store.h"

namespace apiota::service {

std::vector<std::string> replace_device_tags(store::Store& store, env::Env& env, const store::DeviceRecord& device,
                                             std::span<const std::string> tags, std::string_view actor);

}  // namespace apiota::service
