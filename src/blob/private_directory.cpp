#include "blob/private_directory.h"

#include <sys/stat.h>

#include <cerrno>
#include <system_error>

namespace apiota::blob {

void create_private_directory(const std::filesystem::path& dir) {
  if (std::filesystem::is_directory(dir)) return;
  if (dir.has_parent_path() && dir.parent_path() != dir) std::filesystem::create_directories(dir.parent_path());
  if (::mkdir(dir.c_str(), 0700) != 0 && !(errno == EEXIST && std::filesystem::is_directory(dir))) {
    throw std::filesystem::filesystem_error("cannot create folder", dir,
                                            std::error_code(errno, std::generic_category()));
  }
}

}  // namespace apiota::blob
