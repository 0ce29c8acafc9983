// Counts a program keeps per interval, so that a fetch can show the last
// complete interval with no thread of the agent's clearing the map at each
// one: the program keys its counts by epoch, bpf_ktime_get_ns() /
// INTERVAL_NS (-DINTERVAL_NS from interval_defines), and at fetch the agent
// shows the epoch before the current one and deletes older ones. With
// interval 0 the program leaves the epoch at 0 (no INTERVAL_NS) and each
// fetch shows, and deletes, everything counted since the previous one.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bpf/maps.h"
#include "module/spec.h"

namespace bcc {

// CLOCK_MONOTONIC in nanoseconds: the clock bpf_ktime_get_ns() reads.
uint64_t kernel_monotonic_ns();

// The program's -D flags for an interval of `seconds`: INTERVAL_NS, or none for 0.
std::vector<std::string> interval_defines(uint64_t seconds);

// A module's `interval` option: seconds each report covers, 1 by default,
// 0 for the time since the previous fetch, at most `max_seconds`.
OptionSpec interval_option(uint64_t max_seconds);
// Its value as -D flags (for ModuleSpec::defines_from) and in nanoseconds
// (for IntervalEpochs).
std::vector<std::string> interval_option_defines(const ModuleOptions& options);
uint64_t interval_option_ns(const ModuleOptions& options);

// Which epochs a fetch at `now_ns` shows and which it deletes.
class IntervalEpochs {
 public:
  // `interval_ns` 0: everything since the previous fetch.
  explicit IntervalEpochs(uint64_t interval_ns, uint64_t now_ns = kernel_monotonic_ns());
  // The last complete interval's (with interval 0: every epoch).
  bool shown(uint64_t epoch) const;
  // Older than the last complete interval (with interval 0: every epoch,
  // shown once and gone); the interval still running stays, as does the
  // last complete one until a later fetch.
  bool expired(uint64_t epoch) const;

 private:
  bool since_last_fetch_;
  uint64_t current_;  // the epoch the program counts into now
};

// The entries of `map` that `epochs` shows, the expired ones deleted; each
// key holds its epoch as a u64 at `epoch_offset` (keys too short for it
// are left alone).
std::vector<MapEntry> take_last_interval(Maps& maps, const std::string& map, size_t epoch_offset,
                                         const IntervalEpochs& epochs);

}  // namespace bcc
