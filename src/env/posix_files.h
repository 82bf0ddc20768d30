#pragma once
// The file operations of the system Env (env/env.h states their contract),
// on POSIX calls. Kept apart so test Envs can run the real operation when no
// fault is armed.

#include "env/env.h"

namespace apiota::env::posix {

FileHandle create_new_file(const std::filesystem::path& path, mode_t mode);
FileHandle open_for_reading(const std::filesystem::path& path);
std::uint64_t file_size(int fd);
void write(int fd, std::string_view bytes);
void sync(int fd);
void rename(const std::filesystem::path& from, const std::filesystem::path& to);
void sync_dir(const std::filesystem::path& dir);
std::error_code remove_file(const std::filesystem::path& path) noexcept;
std::vector<std::string> list_dir(const std::filesystem::path& dir);

}  // namespace apiota::env::posix
