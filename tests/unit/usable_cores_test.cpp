// The I/O thread count follows the CPUs the process may run on, not the
// CPUs the machine has.

#include <gtest/gtest.h>

#include <sched.h>

#include <thread>

#include "http/usable_cores.h"

namespace apiota::http {
namespace {

int allowed_cpus() {
  cpu_set_t mask;
  CPU_ZERO(&mask);
  EXPECT_EQ(::sched_getaffinity(0, sizeof mask, &mask), 0);
  return CPU_COUNT(&mask);
}

TEST(UsableCores, CountsTheCpusOfTheAffinityMask) {
  EXPECT_EQ(usable_cores(), static_cast<unsigned>(allowed_cpus()));
}

TEST(UsableCores, ARestrictedMaskGivesFewerCores) {
  // The mask is per thread: restrict a fresh thread so the test process
  // keeps its own.
  unsigned seen = 0;
  int first_allowed = -1;
  std::thread([&] {
    cpu_set_t mask;
    CPU_ZERO(&mask);
    ASSERT_EQ(::sched_getaffinity(0, sizeof mask, &mask), 0);
    for (int cpu = 0; cpu < CPU_SETSIZE && first_allowed < 0; ++cpu) {
      if (CPU_ISSET(cpu, &mask)) first_allowed = cpu;
    }
    CPU_ZERO(&mask);
    CPU_SET(first_allowed, &mask);
    ASSERT_EQ(::sched_setaffinity(0, sizeof mask, &mask), 0);
    seen = usable_cores();
  }).join();
  ASSERT_GE(first_allowed, 0);
  EXPECT_EQ(seen, 1u);
}

}  // namespace
}  // namespace apiota::http
