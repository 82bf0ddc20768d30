#include "support/file_probes.h"

#include <algorithm>

namespace apiota::testing {

namespace fs = std::filesystem;

std::size_t file_count(const fs::path& dir) {
  std::error_code ec;
  std::size_t n = 0;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) ++n;
  return n;
}

std::uintmax_t largest_file(const fs::path& dir) {
  std::error_code ec;
  std::uintmax_t largest = 0;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    std::error_code size_ec;
    auto size = it->file_size(size_ec);
    if (!size_ec) largest = std::max(largest, size);
  }
  return largest;
}

}  // namespace apiota::testing
