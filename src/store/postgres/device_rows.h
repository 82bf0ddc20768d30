#pragma once
// What the PostgreSQL device queries share (device_queries.cpp): reading a
// device with its open update attempt and its rolled-back releases. The
// select list ends with the FROM clause (devices as `d`); callers append
// WHERE and ORDER BY.

#include <string>

#include "store/postgres/connection.h"
#include "store/records.h"

namespace apiota::store::postgres {

const std::string& select_devices_with_attempts();
DeviceRecord device_with_attempts(const Result& r);

}  // namespace apiota::store::postgres
