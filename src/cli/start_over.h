#pragma once
// Setting a data folder's old state aside for `apiota serve --init`, so the
// server can start over on it without destroying anything
// (docs/operations.md, "Start-up refusals").

#include <chrono>
#include <filesystem>
#include <utility>
#include <vector>

namespace apiota::cli {

// Each entry: where a file or folder was, where it is now.
using SetAside = std::vector<std::pair<std::filesystem::path, std::filesystem::path>>;

// Renames, within `data`, adding the suffix ".before-init-<UTC time of now>":
//   apiota.db, apiota.db-wal, apiota.db-shm  (the log files become
//       apiota.db.before-init-T-wal and -shm, so SQLite opens the three as
//       the set they are)
//   secret.key, only when it is not a well-formed 32-byte key (a good key
//       stays: a backup of the database made with it can still be restored)
//   firmware/, when it holds files (a new database references none of them)
// Nothing is deleted or overwritten: when a target name exists, throws
// std::runtime_error before moving anything.
SetAside set_aside_for_start_over(const std::filesystem::path& data, std::chrono::system_clock::time_point now);

}  // namespace apiota::cli
