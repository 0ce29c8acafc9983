// What tcpconnlat.bpf sends for each TCP connection that got established,
// as tcpconnlat.cc reads it: one layout for both halves, in C that compiles
// as the program's BCC C (with kernel headers or from BTF alone) and as C++.
#pragma once

#include <linux/types.h>

#define TCPCONNLAT_COMM_LEN 16  // TASK_COMM_LEN

// one connection; addresses are 16 bytes, IPv4 in the first 4
struct tcpconnlat_event {
    __u8 saddr[16];
    __u8 daddr[16];
    __u64 latency_ns;  // SYN_SENT to ESTABLISHED
    __u32 pid;         // of the process that connected
    __u16 family;      // AF_INET or AF_INET6
    __u16 lport;       // host order
    __u16 dport;       // host order
    __u16 pad[3];
    char comm[TCPCONNLAT_COMM_LEN];
};
