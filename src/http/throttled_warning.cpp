#include "http/throttled_warning.h"

#include <spdlog/spdlog.h>

namespace apiota::http {

void ThrottledWarning::note(std::string_view message, Clock::time_point now) {
  ++unlogged_;
  if (logged_ && now - last_logged_ < interval_) return;
  if (unlogged_ == 1) {
    spdlog::warn("{}", message);
  } else {
    spdlog::warn("{} ({} times since the last such line)", message, unlogged_);
  }
  logged_ = true;
  last_logged_ = now;
  unlogged_ = 0;
}

}  // namespace apiota::http
