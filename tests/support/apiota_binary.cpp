#include "support/apiota_binary.h"

#include <cstdlib>

namespace apiota::testing {

const char* apiota_binary() {
  static const char* const chosen = [] {
    const char* env = std::getenv("APIOTA_TEST_BINARY");
    return env != nullptr && *env != '\0' ? env : APIOTA_BINARY;
  }();
  return chosen;
}

}  // namespace apiota::testing
