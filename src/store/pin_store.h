#pragma once
// PinStore: operators' pins, each holding a device, or every device with a
// tag, at an exact version. Pins are their own aggregate, not part of the
// releases': a pin names a version, not a release row (it may be set before
// the release is uploaded and outlives its deletion), and no change writes
// pins and releases together. Both move the 'catalog' cache generation
// (store/cache_tracking.h) only because the update decision reads both.
// Every method follows the contract of store/store.h (thread-safe, blocking,
// durable on return, StoreError when the database fails).

#include <string_view>
#include <vector>

#include "store/records.h"

namespace apiota::store {

class PinStore {
 public:
  virtual ~PinStore() = default;

  // set_pin creates or replaces; clear_pin is false when there was none.
  virtual std::vector<PinRecord> list_pins(std::string_view project_id) = 0;
  virtual void set_pin(const PinRecord& pin) = 0;
  virtual bool clear_pin(std::string_view project_id, domain::PinScope scope, std::string_view subject) = 0;
};

}  // namespace apiota::store
