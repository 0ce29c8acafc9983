// What the kernel knows of each loaded program and map: run counts and run
// time (when BPF statistics are on), runs skipped, entries in use.
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>

#include "bpf/maps.h"

namespace bcc {

struct ProgramStats {
  uint64_t run_count = 0;
  uint64_t run_time_ns = 0;
  // Times the program did not run because another BPF program was running on
  // that CPU (the kernel's recursion guard): events it never saw.
  uint64_t missed = 0;
};

struct MapUsage {
  uint64_t entries = 0;   // keys present (hash maps), slots (arrays)
  uint64_t capacity = 0;  // max_entries
};

std::optional<ProgramStats> program_stats(int prog_fd);
// Entries of maps by map id, as the kernel counts them (bpf/entry_counter.h).
using EntryCounts = std::unordered_map<uint32_t, uint64_t>;

// nullopt for maps whose entries are not data (perf event arrays, stacks).
// A hash's entries: `entries_known`, as a read made in this fetch found
// them; else the kernel's count in `counted`; else the hash is walked.
// `info` is what the kernel said of the map when it was created (its type
// and sizes never change): asking again at every fetch would cost a system
// call per map.
std::optional<MapUsage> map_usage(int map_fd, const MapInfo& info,
                                  std::optional<uint64_t> entries_known = {},
                                  const EntryCounts* counted = nullptr);

// Turns the kernel's run-time statistics on for as long as the returned
// descriptor stays open (BPF_ENABLE_STATS); -errno on failure.
int enable_program_stats();

}  // namespace bcc
