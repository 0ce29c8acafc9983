// The key of bioperpid.bpf's io_bytes map, as bioperpid.cc reads it: one
// layout for both halves, in C that compiles as the program's BCC C (with
// kernel headers or from BTF alone) and as C++.
#pragma once

#include <linux/types.h>

// A disk (the kernel's dev_t) and the process that submitted requests to
// it. Both fields are 64 bits: no padding bytes to leave uninitialised in
// the key.
struct bioperpid_disk_pid {
    __u64 dev;
    __u64 pid;
};
