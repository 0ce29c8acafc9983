#include "bpf/kernel_stats.h"

#include <bpf/bpf.h>
#include <linux/bpf.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>
#include <string>

#include "bpf/hash_batch.h"
#include "bpf/tables.h"

namespace bcc {

std::optional<ProgramStats> program_stats(int prog_fd) {
  bpf_prog_info info{};
  __u32 len = sizeof(info);
  if (bpf_obj_get_info_by_fd(prog_fd, &info, &len) != 0) return std::nullopt;
  return ProgramStats{info.run_cnt, info.run_time_ns, info.recursion_misses};
}

std::optional<MapUsage> map_usage(int map_fd, const MapInfo& info,
                                  std::optional<uint64_t> entries_known,
                                  const EntryCounts* counted) {
  MapUsage usage{0, info.max_entries};
  switch (info.type) {
    case BPF_MAP_TYPE_ARRAY:
    case BPF_MAP_TYPE_PERCPU_ARRAY:
      usage.entries = info.max_entries;
      return usage;
    case BPF_MAP_TYPE_HASH:
    case BPF_MAP_TYPE_PERCPU_HASH:
    case BPF_MAP_TYPE_LRU_HASH:
    case BPF_MAP_TYPE_LRU_PERCPU_HASH: {
      if (entries_known) {
        usage.entries = *entries_known;
        return usage;
      }
      if (counted) {
        auto it = counted->find(info.id);
        if (it != counted->end()) {
          usage.entries = std::min<uint64_t>(it->second, info.max_entries);
          return usage;
        }
      }
      HashShape shape{map_fd, info.key_size, lookup_value_bytes(info), info.max_entries};
      try {
        if (visit_hash_batched(shape, [&](std::string_view, std::string_view) { usage.entries++; }))
          return usage;
      } catch (const std::runtime_error&) {
        usage.entries = 0;  // counted again below, key by key
      }
      std::string key(info.key_size, '\0'), next(info.key_size, '\0');
      bool first = true;
      while (bpf_map_get_next_key(map_fd, first ? nullptr : key.data(), next.data()) == 0 &&
             usage.entries <= info.max_entries) {
        first = false;
        key = next;
        usage.entries++;
      }
      return usage;
    }
    default:
      return std::nullopt;
  }
}

int enable_program_stats() {
  int fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
  return fd >= 0 ? fd : -errno;
}

}  // namespace bcc
