#include "bpf/hash_batch.h"

#include <bpf/bpf.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

namespace bcc {

// 256 entries per system call by default: few calls for the maps modules
// keep, buffers that stay small for a per-CPU map on many CPUs.
bool visit_hash_batched(const HashShape& map, const EntryVisitor& each, uint32_t batch) {
  uint32_t capacity = std::max<uint32_t>(1, std::min(batch, map.max_entries));
  std::vector<char> keys, values;
  // the kernel's cursor for hashes: the next bucket, a u32
  uint64_t cursor_in = 0, cursor_out = 0;
  bool first = true;
  while (true) {
    keys.resize(static_cast<size_t>(capacity) * map.key_size);
    values.resize(static_cast<size_t>(capacity) * map.value_bytes);
    uint32_t count = capacity;
    int rc = bpf_map_lookup_batch(map.fd, first ? nullptr : &cursor_in, &cursor_out, keys.data(),
                                  values.data(), &count, nullptr);
    int error = rc == 0 ? 0 : errno;
    if (error == ENOSPC && count == 0 && capacity < map.max_entries) {
      // one bucket holds more entries than the buffers: larger buffers, same cursor
      capacity = std::min(map.max_entries, capacity * 2);
      continue;
    }
    if (error != 0 && error != ENOENT) {
      if (first) return false;
      throw std::runtime_error(std::string("cannot read a batch of entries: ") +
                               std::strerror(error));
    }
    for (uint32_t i = 0; i < count; i++)
      each(std::string_view(keys.data() + static_cast<size_t>(i) * map.key_size, map.key_size),
           std::string_view(values.data() + static_cast<size_t>(i) * map.value_bytes,
                            map.value_bytes));
    if (error == ENOENT) return true;  // the end of the map
    cursor_in = cursor_out;
    first = false;
  }
}

}  // namespace bcc
