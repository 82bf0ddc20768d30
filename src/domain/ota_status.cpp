#include "domain/ota_status.h"

#include <array>
#include <utility>

namespace apiota::domain {
namespace {

constexpr std::array<std::pair<OtaStatus, std::string_view>, 8> kNames = {{
    {OtaStatus::Pending, "pending"},
    {OtaStatus::Checking, "checking"},
    {OtaStatus::Downloading, "downloading"},
    {OtaStatus::Verifying, "verifying"},
    {OtaStatus::Flashing, "flashing"},
    {OtaStatus::Rebooting, "rebooting"},
    {OtaStatus::Done, "done"},
    {OtaStatus::Failed, "failed"},
}};

}  // namespace

std::optional<OtaStatus> parse_ota_status(std::string_view text) {
  for (const auto& [status, name] : kNames) {
    if (name == text) return status;
  }
  return std::nullopt;
}

std::string_view to_string(OtaStatus status) {
  for (const auto& [candidate, name] : kNames) {
    if (candidate == status) return name;
  }
  return "failed";
}

bool is_terminal(OtaStatus status) { return status == OtaStatus::Done || status == OtaStatus::Failed; }

bool is_in_progress(OtaStatus status) {
  switch (status) {
    case OtaStatus::Downloading:
    case OtaStatus::Verifying:
    case OtaStatus::Flashing:
    case OtaStatus::Rebooting:
      return true;
    default:
      return false;
  }
}

}  // namespace apiota::domain
