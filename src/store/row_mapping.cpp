#include "store/row_mapping.h"

#include <atomic>

namespace apiota::store {

std::uint64_t next_row_mapping_key() {
  static std::atomic<std::uint64_t> key{0};
  return ++key;
}

}  // namespace apiota::store
