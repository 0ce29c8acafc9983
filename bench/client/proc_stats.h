// What /proc tells about an agent process: CPU time, age, memory.
#pragma once

namespace bench {

// User + system CPU seconds of every thread of `pid` so far (/proc/PID/stat,
// in clock ticks); a negative number when the process is gone.
double cpu_seconds(int pid);
// CPU time of the children `pid` has waited for (cutime + cstime): for our
// agent, the loaders it started and reaped; -1 if `pid` is gone.
double children_cpu_seconds(int pid);
// CPU time of `pid`'s live threads from /proc/PID/task/*/schedstat, in
// nanoseconds rather than clock ticks: fine enough for a few hundred fetches
// of a small agent; -1 if `pid` is gone.
double sched_cpu_seconds(int pid);

// Seconds since `pid` was started (its exec), from the start time in
// /proc/PID/stat and CLOCK_BOOTTIME; negative when the process is gone.
double seconds_since_start(int pid);

// Resident memory of a process in kB: all of it (VmRSS, /proc/PID/status)
// and the pages only it has written (Private_Dirty, /proc/PID/smaps_rollup:
// its heap, stacks and relocated library data). Negative when it is gone.
struct MemoryUse {
  long rss_kb = -1;
  long private_dirty_kb = -1;
};
MemoryUse memory_use(int pid);

}  // namespace bench
