// The soak: storms of kernel events (system calls, processes started,
// loopback TCP connections) while PCP clients fetch every metric below a
// prefix through pmcd as fast as they can, and the agent's memory is
// sampled, for a fixed time. Everything it starts stops by itself.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "proc_stats.h"

namespace bench {

struct SoakOptions {
  int agent_pid = 0;
  double seconds = 600;
  int clients = 4;
  std::string prefix = "bcc";
  // Memory is sampled every `sample_seconds`; the sample at `warmup_seconds`
  // is the reference the end is compared with (event tables filled, caches
  // warm). Zero: chosen from `seconds`.
  double sample_seconds = 0;
  double warmup_seconds = 0;
  // Arguments of each program the storm starts (execsnoop reports each).
  int exec_args = 20;
  // Each memory sample is also printed here as it is taken (null: not).
  FILE* progress = nullptr;
};

struct MemorySample {
  double seconds = 0;  // since the soak began
  MemoryUse use;
};

struct SoakReport {
  double seconds = 0;  // how long it ran
  int clients = 0;
  size_t metrics = 0;  // metrics in each fetch
  uint64_t syscalls = 0, execs = 0, tcp_connections = 0;
  std::vector<std::string> workload_errors;  // a storm that could not run
  uint64_t fetches = 0, fetch_errors = 0;
  std::string first_fetch_error;  // "" when none, else "metric: PCP error" (or the error alone)
  double fetch_p50_us = 0, fetch_p99_us = 0, fetch_max_us = 0;
  std::vector<MemorySample> memory;  // the first at the start, the last at the end
  size_t warm_sample = 0;            // index of the sample taken after warm-up
  bool agent_gone = false;           // the process vanished during the soak

  double events_per_second() const {
    return seconds > 0 ? static_cast<double>(syscalls + execs + tcp_connections) / seconds : 0;
  }
  const MemoryUse& start() const { return memory.front().use; }
  const MemoryUse& warm() const { return memory[warm_sample].use; }
  const MemoryUse& end() const { return memory.back().use; }
};

// How Private_Dirty moved after warm-up, in kB per second. A leak climbs in
// every interval between samples; a one-time step (a table loaded at its
// first use, at a random time) is one interval's jump, and allocator slack
// goes up and down. So the judge is the median of the intervals' slopes:
// a steady leak's rate, untouched by one step. The least-squares slope
// over the same samples (which a step does move) is printed beside it.
struct MemorySlope {
  double median_kb_per_s = 0;
  double least_squares_kb_per_s = 0;
  size_t intervals = 0;  // 0: too few samples after warm-up to say
};
MemorySlope private_dirty_slope(const SoakReport& report);

// Runs the soak; throws std::runtime_error when the clients cannot resolve
// the metrics (no pmcd, no agent) before it begins.
SoakReport run_soak(const SoakOptions& options);

// The figures and the memory curve, for people.
void print_report(FILE* out, const SoakReport& report);

}  // namespace bench
