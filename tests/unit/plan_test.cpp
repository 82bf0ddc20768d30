#include "domain/plan.h"

#include <gtest/gtest.h>

#include <functional>
#include <limits>
#include <string>
#include <vector>

using namespace apiota::domain;

namespace {

TEST(Plan, DefaultsAreValid) {
  const Plan plan;
  EXPECT_EQ(validate_plan(plan), "");
  EXPECT_EQ(plan.max_devices, 100000);
  EXPECT_EQ(plan.max_firmware_bytes, 16 * 1024 * 1024);
  EXPECT_EQ(plan.device_requests_per_minute, 30.0);
  EXPECT_EQ(plan.device_burst, 20.0);
  EXPECT_EQ(kMaxFirmwareBytesCeiling, 32 * 1024 * 1024);
}

struct PlanCase {
  const char* description;
  std::function<void(Plan&)> change;
  const char* bad_field;  // nullptr when the plan stays valid
};

TEST(Plan, ValidatesEachField) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  constexpr double kInf = std::numeric_limits<double>::infinity();
  const std::vector<PlanCase> cases = {
      {"one device", [](Plan& p) { p.max_devices = 1; }, nullptr},
      {"zero devices", [](Plan& p) { p.max_devices = 0; }, "max_devices"},
      {"negative devices", [](Plan& p) { p.max_devices = -5; }, "max_devices"},
      {"firmware at 1 KiB", [](Plan& p) { p.max_firmware_bytes = 1024; }, nullptr},
      {"firmware below 1 KiB", [](Plan& p) { p.max_firmware_bytes = 1023; }, "max_firmware_bytes"},
      {"firmware at ceiling", [](Plan& p) { p.max_firmware_bytes = kMaxFirmwareBytesCeiling; }, nullptr},
      {"firmware over ceiling", [](Plan& p) { p.max_firmware_bytes = kMaxFirmwareBytesCeiling + 1; },
       "max_firmware_bytes"},
      {"negative firmware", [](Plan& p) { p.max_firmware_bytes = -1; }, "max_firmware_bytes"},
      {"rate zero (unlimited)", [](Plan& p) { p.device_requests_per_minute = 0; }, nullptr},
      {"rate negative", [](Plan& p) { p.device_requests_per_minute = -0.5; }, "device_requests_per_minute"},
      {"rate NaN", [](Plan& p) { p.device_requests_per_minute = kNaN; }, "device_requests_per_minute"},
      {"rate infinite", [](Plan& p) { p.device_requests_per_minute = kInf; }, "device_requests_per_minute"},
      {"burst zero", [](Plan& p) { p.device_burst = 0; }, nullptr},
      {"burst negative", [](Plan& p) { p.device_burst = -1; }, "device_burst"},
      {"burst NaN", [](Plan& p) { p.device_burst = kNaN; }, "device_burst"},
      {"burst infinite", [](Plan& p) { p.device_burst = kInf; }, "device_burst"},
  };
  for (const PlanCase& c : cases) {
    SCOPED_TRACE(c.description);
    Plan plan;
    c.change(plan);
    const std::string message = validate_plan(plan);
    if (c.bad_field == nullptr) {
      EXPECT_EQ(message, "");
    } else {
      EXPECT_NE(message.find(c.bad_field), std::string::npos) << message;
    }
  }
}

}  // namespace
