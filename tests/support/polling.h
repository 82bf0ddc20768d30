#pragma once
// Test support: waiting for something the server does asynchronously (a CLI
// change picked up, a write-behind flushed) and for the clock.
//
// eventually() calls `probe` every 20 ms until it returns true or `limit`
// passes, then once more; it returns the last result and never fails a test
// itself (wrap it in EXPECT_TRUE / ASSERT_TRUE). `probe` runs on the calling
// thread and may capture by reference. wait_for_next_second() blocks until the
// wall clock enters a new second.

#include <chrono>
#include <functional>

namespace apiota::testing {

bool eventually(const std::function<bool()>& probe, std::chrono::milliseconds limit = std::chrono::seconds(2));

// Server timestamps have whole seconds: call this before an action whose time
// must differ from an earlier one.
void wait_for_next_second();

}  // namespace apiota::testing
