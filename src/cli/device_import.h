#pragma once
// `apiota devices import`: enrolls devices in bulk from CSV lines
// "device_id,secret[,firmware_version]" (blank lines and lines starting with
// '#' are skipped), e.g. a factory's provisioning list. Each line goes
// through the same checks as POST /api/register (api/device_enrollment.h);
// a bad line stops the import naming its line number, and nothing of the
// batch it is in is stored. Devices are stored in batches of 10 000, each in
// one transaction; ids already registered are counted and left unchanged.
// The import is audited once per batch as "device.import".

#include <cstdint>
#include <istream>
#include <string_view>

#include "cli/data_folder.h"

namespace apiota::cli {

struct ImportCounts {
  std::int64_t created = 0;
  std::int64_t existing = 0;
};

// Throws std::invalid_argument for a bad line, an unknown project or a
// channel that is not stable/beta/dev, and when the plan's device limit
// would be exceeded (the batches before it stay stored).
ImportCounts import_devices(DataFolder& data, std::string_view project_id, std::string_view channel,
                            std::istream& csv);

}  // namespace apiota::cli
