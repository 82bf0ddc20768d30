#pragma once
// The messages with which DataFolder::open() refuses a data folder
// (docs/operations.md, "Start-up refusals"). Each names the full paths
// involved, says why apiota will not go on, and what to do. Paths and any
// text taken from files are made printable.

#include <filesystem>
#include <stdexcept>
#include <string_view>

#include "cli/data_folder_survey.h"

namespace apiota::cli {

// A refusal `apiota serve --init` can get past by starting over.
class StartRefusal : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Key, firmware or a write-ahead log, but no database (or a zero-length one).
StartRefusal database_missing(const std::filesystem::path& data, const DataFolderSurvey& survey);
// apiota.db is not a usable apiota database; `reason` is the store's message.
StartRefusal database_damaged(const std::filesystem::path& data, std::string_view reason);
// A database, but no secret.key.
StartRefusal key_missing(const std::filesystem::path& data);
// secret.key is not a 32-byte key; `reason` says what it holds.
StartRefusal key_malformed(const std::filesystem::path& data, std::string_view reason);
// secret.key's fingerprint is not the one the database recorded.
StartRefusal key_mismatch(const std::filesystem::path& data);
// The key in `data` is not the one the shared PostgreSQL store recorded
// (`created`: it was just made, for a folder that had none, and removed).
StartRefusal shared_key_mismatch(const std::filesystem::path& data, bool created);

// The database could not be reached (permissions, read-only folder, I/O, a
// newer schema): fixed in place, never by starting over.
std::runtime_error database_unreachable(const std::filesystem::path& data, std::string_view reason);
// `serve --init` on a folder that opens without refusal.
std::runtime_error nothing_to_start_over(const std::filesystem::path& data);

}  // namespace apiota::cli
