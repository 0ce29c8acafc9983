// The values and key of syscount.bpf's maps, as syscount.cc reads them: one
// layout for both halves, in C that compiles as the program's BCC C (with
// kernel headers or from BTF alone) and as C++.
#pragma once

#include <linux/types.h>

// One system call's figures in `stats` and `pid_stats`: the calls that
// finished. The program counts these without LATENCY...
struct syscount_calls {
    __u64 count;
};

// ...and these with it: also the time spent in calls (entry to exit, ns)
// and how many calls were timed (those whose entry was seen). The agent
// tells the two apart by the maps' value size.
struct syscount_timed_calls {
    __u64 count;
    __u64 latency_ns;
    __u64 timed;
};

// The key of `pid_stats` (with DETAILS): a process and a system call
// number. Both fields are 32 bits: no padding bytes in the key.
struct syscount_pid_call {
    __u32 pid;
    __u32 id;
};
