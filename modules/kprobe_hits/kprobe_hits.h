// The key and value of kprobe_hits.bpf's stats map, as kprobe_hits.cc reads
// them: one layout for both halves, in C that compiles as the program's BCC
// C (with kernel headers or from BTF alone) and as C++.
#pragma once

#include <linux/types.h>

struct kprobe_hits_key {
    __u32 pid;    // 0 unless DETAILS
    __u32 index;  // the function, in the order of the module's functions
};

struct kprobe_hits_stats {
    __u64 count;
    __u64 fail;
    __u64 latency_ns;
};
