// The value of tcpperpid.bpf's traffic map (one per process), as
// tcpperpid.cc reads it: one layout for both halves, in C that compiles as
// the program's BCC C (with kernel headers or from BTF alone) and as C++.
#pragma once

#include <linux/types.h>

struct tcpperpid_traffic {
    __u64 tx;  // bytes sent
    __u64 rx;  // bytes received
};
