#include "store/sqlite/row_mapping.h"

#include <atomic>

namespace apiota::store::sqlite {

std::uint64_t next_row_mapping_key() {
  static std::atomic<std::uint64_t> key{0};
  return ++key;
}

}  // namespace apiota::store::sqlite
