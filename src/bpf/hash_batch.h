// Reads every entry of a hash map (plain, per-CPU, LRU) with
// BPF_MAP_LOOKUP_BATCH: one system call per batch of entries, where a walk
// key by key makes two per entry (next key, then value). The kernel copies
// a whole bucket at a time, so an entry is never half-read, and it skips
// empty buckets without locking them, so a sparse map costs no more than a
// walk.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

namespace bcc {

struct HashShape {
  int fd = -1;
  uint32_t key_size = 0;
  size_t value_bytes = 0;  // per-CPU maps: every possible CPU's copy
  uint32_t max_entries = 0;
};

using EntryVisitor = std::function<void(std::string_view key, std::string_view value)>;

// Calls `each` for every entry. False, having called nothing, when the
// kernel has no batch operations for this map (before Linux 5.6): the
// caller then walks key by key. Throws std::runtime_error when the kernel
// fails part way. `batch`: entries asked for per system call at first (a
// bucket holding more makes it grow).
bool visit_hash_batched(const HashShape& map, const EntryVisitor& each, uint32_t batch = 256);

}  // namespace bcc
