// What /proc tells about an agent process: CPU time and age.
#pragma once

namespace bench {

// User + system CPU seconds of every thread of `pid` so far (/proc/PID/stat,
// in clock ticks); a negative number when the process is gone.
double cpu_seconds(int pid);

// Seconds since `pid` was started (its exec), from the start time in
// /proc/PID/stat and CLOCK_BOOTTIME; negative when the process is gone.
double seconds_since_start(int pid);

}  // namespace bench
