// A memory cgroup of a test's own, small enough for a child process to run
// out of memory in it: cgroup v2 (memory.max, memory.swap.max) where the
// memory controller is there, else the cgroup v1 memory hierarchy
// (memory.limit_in_bytes, memory.memsw.limit_in_bytes); removed when done.
#pragma once

#include <cstdint>
#include <string>

namespace bcc::test {

class MemoryCgroup {
 public:
  // `name`: the folder's name below the hierarchy's root.
  MemoryCgroup(const std::string& name, uint64_t limit_bytes);
  ~MemoryCgroup();  // removes the folder (its processes must have exited)
  MemoryCgroup(const MemoryCgroup&) = delete;
  MemoryCgroup& operator=(const MemoryCgroup&) = delete;

  // Why there is none ("" when there is one).
  const std::string& unavailable() const { return unavailable_; }
  const std::string& path() const { return path_; }
  // Moves the calling process into the cgroup (for a forked child); false
  // when the kernel refuses.
  bool enter() const;

 private:
  bool make(const std::string& root, const std::string& name, uint64_t limit_bytes, bool v2);
  std::string path_;
  std::string unavailable_;
};

}  // namespace bcc::test
