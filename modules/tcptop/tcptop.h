// The key and value of tcptop.bpf's flows map, as tcptop.cc reads them: one
// layout for both halves, in C that compiles as the program's BCC C (with
// kernel headers or from BTF alone) and as C++.
#pragma once

#include <linux/types.h>

// One connection of one process in one interval (epoch: the monotonic
// clock divided by the interval, 0 without one); addresses are 16 bytes,
// IPv4 in the first 4; no padding bytes (keys are compared byte for byte).
struct tcptop_flow {
    __u8 saddr[16];
    __u8 daddr[16];
    __u64 epoch;
    __u32 pid;
    __u16 family;
    __u16 lport;
    __u16 dport;
    __u16 pad[3];
};

// bytes received and sent on it
struct tcptop_traffic {
    __u64 rx;
    __u64 tx;
};
