// What tcplife.bpf sends for each TCP session that closed, as tcplife.cc
// reads it: one layout for both halves, in C that compiles as the program's
// BCC C (with kernel headers or from BTF alone) and as C++.
#pragma once

#include <linux/types.h>

#define TCPLIFE_COMM_LEN 16  // TASK_COMM_LEN

// one closed session; addresses are 16 bytes, IPv4 in the first 4
struct tcplife_session {
    __u8 saddr[16];
    __u8 daddr[16];
    __u64 tx_bytes;
    __u64 rx_bytes;
    __u64 span_us;
    __u32 pid;
    __u16 family;
    __u16 lport;
    __u16 dport;
    __u16 pad[3];
    char comm[TCPLIFE_COMM_LEN];
};
