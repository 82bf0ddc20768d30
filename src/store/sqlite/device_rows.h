#pragma once
// What the device queries share (device_queries.cpp): reading a device with
// its open update attempt and its rolled-back releases. The select list ends
// with the FROM clause (devices as `d`); callers append WHERE and ORDER BY.

#include <string>

#include "store/records.h"
#include "store/sqlite/connection.h"

namespace apiota::store::sqlite {

const std::string& select_devices_with_attempts();
DeviceRecord device_with_attempts(const Statement& s);

}  // namespace apiota::store::sqlite
