// What tcpconnect.bpf sends for each TCP connection a process starts, as
// tcpconnect.cc reads it: one layout for both halves, in C that compiles as
// the program's BCC C (with kernel headers or from BTF alone) and as C++.
#pragma once

#include <linux/types.h>

#define TCPCONNECT_COMM_LEN 16  // TASK_COMM_LEN

// one connect(); addresses are 16 bytes, IPv4 in the first 4
struct tcpconnect_event {
    __u8 saddr[16];
    __u8 daddr[16];
    __u32 pid;
    __u32 uid;
    __u16 family;  // AF_INET or AF_INET6
    __u16 dport;   // host order
    __u32 pad;
    char comm[TCPCONNECT_COMM_LEN];
};
