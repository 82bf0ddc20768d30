#pragma once
// The `cursor` of GET /api/admin/devices: where the next page of a sorted
// device list starts (store::DevicePosition), as text a client passes back
// unchanged. It names the sort and order it was made for, so a cursor used
// with another sort or order is refused instead of skipping devices.
//
// Format, opaque to clients: "v1~SORT~ORDER~KEY~DEVICE_ID", where KEY is the
// device's sort field ("" when it has none, or for the device_id sort).
// Device ids and versions never contain "~".

#include <string>
#include <string_view>

#include "store/device_store.h"

namespace apiota::api::admin {

// "device_id", "last_seen_at", "registered_at", "firmware_version"; and back
// (std::nullopt for another name).
std::string_view sort_name(store::DeviceSort sort);
std::optional<store::DeviceSort> parse_sort(std::string_view name);

std::string encode_cursor(store::DeviceSort sort, bool descending, const store::DevicePosition& position);
// Throws ApiError INVALID_PARAMETER when `text` is not a cursor this server
// made, or one made for another sort or order.
store::DevicePosition decode_cursor(std::string_view text, store::DeviceSort sort, bool descending);

}  // namespace apiota::api::admin
