#pragma once
// Folders apiota creates for its own files (the data folder, firmware/,
// tmp/) are private to the user it runs as: mode 0700, like secret.key's
// 0600 (docs/security.md).

#include <filesystem>

namespace apiota::blob {

// Creates `dir` with mode 0700 (less if the umask says so) and any missing
// parents with the default mode. A folder that already exists keeps its
// mode. Throws std::filesystem::filesystem_error naming `dir` on failure.
void create_private_directory(const std::filesystem::path& dir);

}  // namespace apiota::blob
