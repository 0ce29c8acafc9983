// The value of netproc.bpf's netstats map (one per process), as netproc.cc
// reads it: one layout for both halves, in C that compiles as the
// program's BCC C (with kernel headers or from BTF alone) and as C++.
#pragma once

#include <linux/types.h>

// calls then bytes, send then receive, TCP then UDP: the program finds a
// counter by its position in this order
struct netproc_stats {
    __u64 tcp_send_calls;
    __u64 tcp_send_bytes;
    __u64 tcp_recv_calls;
    __u64 tcp_recv_bytes;
    __u64 udp_send_calls;
    __u64 udp_send_bytes;
    __u64 udp_recv_calls;
    __u64 udp_recv_bytes;
};
