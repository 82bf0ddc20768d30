#pragma once
// Run-time settings of the API, resolved by the CLI from flags, environment
// and the config file (docs/configuration.md). Plain data, read-only once the
// server runs.

#include <chrono>
#include <cstddef>
#include <string>

#include "domain/failure_limiter.h"
#include "domain/plan.h"
#include "domain/rate_limiter.h"

namespace apiota::service {

// How a device is allowed to fetch the `url` that check-update returned.
enum class DownloadAuth {
  Signed,  // the URL carries an expiring HMAC token bound to device and file (default)
  Public   // anyone who knows a file name may download it
};

struct Settings {
  // Base of the download URLs, no trailing slash; empty: each request's
  // origin (api/request_origin.h).
  std::string public_url;
  bool rate_limit = true;
  domain::RateLimit address_limit{1200, 600};  // per client address, all device calls
  // Wrong secrets per device, wrong keys per client address; applies even
  // when rate_limit is off (api/auth_failures.h).
  domain::FailurePolicy auth_failures;
  DownloadAuth download_auth = DownloadAuth::Signed;
  std::chrono::seconds download_url_ttl{std::chrono::hours(24)};
  std::chrono::milliseconds seen_flush_interval{1000};
  // How often stuck update attempts are ended and timed stages advanced.
  std::chrono::seconds rollout_sweep_interval{30};
  domain::Plan default_plan;  // for projects created without one
};

}  // namespace apiota::service
