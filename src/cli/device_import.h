#pragma once
// `apiota devices import`: enrolls devices in bulk from CSV lines
// "device_id,secret[,firmware_version]", e.g. a factory's provisioning list.
// Blank lines and lines starting with '#' are skipped, and so is a header
// row ("device_id,secret..." or "device_id,device_secret...") as the first
// line with content.
//
// The whole file is checked before anything is stored:
// - Each line goes through the same checks as POST /api/register
//   (service/device_enrollment.h): a bad line stops the import, naming its line
//   number.
// - An id already registered in the project with the same secret (compared
//   with its stored hash, in constant time) is counted as existing and left
//   unchanged; that also holds for a secret from before the secret rule.
// - An id registered with another secret, an id registered in another
//   project, and an id repeated in the file with another secret are
//   conflicts. With conflicts nothing is imported and ImportConflicts lists
//   each with its line number, unless `skip_conflicts`: then their lines are
//   left out and listed in ImportCounts::skipped.
// - Going over the plan's device limit stops the import before anything is
//   stored.
// Then devices are stored in batches of 10 000, each in one transaction,
// audited once per batch as "device.import". A device registered by someone
// else meanwhile is left as it is and counted as existing.

#include <cstdint>
#include <istream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "cli/data_folder.h"

namespace apiota::cli {

struct ImportCounts {
  std::int64_t created = 0;
  std::int64_t existing = 0;
  std::vector<std::string> skipped;  // "line N: <conflict>", with skip_conflicts
};

// The conflicts of a file imported without skip_conflicts; what() lists them.
class ImportConflicts : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws ImportConflicts as above, and std::invalid_argument for a bad line,
// an unknown project, a channel that is not stable/beta/dev, and the plan's
// device limit.
ImportCounts import_devices(DataFolder& data, std::string_view project_id, std::string_view channel,
                            std::istream& csv, bool skip_conflicts);

}  // namespace apiota::cli
