// Waiting for something the agent does in its own time (a perf buffer
// delivered, a process rescanned, a process gone).
#pragma once

#include <functional>

namespace bcc::test {

// Calls `done` every 100 ms until it returns true or `seconds` pass; its
// last answer.
bool wait_until(const std::function<bool()>& done, double seconds = 10);

}  // namespace bcc::test
