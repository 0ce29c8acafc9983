// Naming kernel mutex statistics by caller, as the retired Python agent's
// klockstat did: the function that asked for the mutex, then its callers up
// to a depth, joined by '+' ("ext4_buffered_write_iter+vfs_write").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bcc {

// Frames of the mutex code itself (mutex_lock, __mutex_lock.constprop.0,
// __mutex_lock_slowpath, ...), which come before the caller in a stack
// taken inside it. `symbol` may carry an offset ("mutex_lock+0x12").
bool is_mutex_internal(const std::string& symbol);

// The instance name of a stack, innermost frame first: the first `depth`
// frames after the mutex code; "<Missed Kernel Stack>" when none is left.
std::string lock_caller(const std::vector<std::string>& frames, size_t depth);

// Count, total and maximum of one half (spin or hold) for one caller; one
// caller may gather several stacks, whose figures add up.
struct LockTimes {
  uint64_t count = 0;
  uint64_t total = 0;
  uint64_t max = 0;
  void add(const LockTimes& other);
  uint64_t average() const { return count ? total / count : 0; }
};

}  // namespace bcc
