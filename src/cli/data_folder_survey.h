#pragma once
// What a data folder holds before apiota opens it: the facts the start-up
// checks in DataFolder::open() decide on (docs/operations.md, "Start-up
// refusals"). Looking changes nothing.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>

namespace apiota::cli {

struct DataFolderSurvey {
  std::optional<std::uintmax_t> database_bytes;  // apiota.db; nullopt when there is none
  std::uintmax_t wal_bytes = 0;                  // apiota.db-wal
  bool key_file = false;                         // secret.key exists (well-formed or not)
  std::size_t firmware_files = 0;                // entries in firmware/

  // apiota.db exists and is not zero-length (SQLite treats an empty file as
  // an empty database).
  bool has_database() const { return database_bytes.value_or(0) > 0; }
  // Anything an earlier install leaves behind besides the database.
  bool has_earlier_install() const { return key_file || firmware_files > 0 || wal_bytes > 0; }
};

// Throws std::filesystem::filesystem_error, naming the path, when an entry
// cannot be examined (a missing one is not an error).
DataFolderSurvey survey_data_folder(const std::filesystem::path& data);

}  // namespace apiota::cli
