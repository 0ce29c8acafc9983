// The key of tcpretrans.bpf's retransmits map, one TCP flow, as
// tcpretrans.cc names it: one layout for both halves, in C that compiles as
// the program's BCC C (with kernel headers or from BTF alone) and as C++.
#pragma once

#include <linux/types.h>

// addresses are 16 bytes, IPv4 in the first 4; no padding bytes (the
// program zeroes the whole key, the kernel compares it byte for byte)
struct tcpretrans_flow {
    __u8 saddr[16];
    __u8 daddr[16];
    __u16 family;
    __u16 lport;
    __u16 dport;
    __u16 pad;
};
