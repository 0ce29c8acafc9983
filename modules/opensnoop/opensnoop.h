// What opensnoop.bpf sends for each open(), openat() or openat2() that
// returned, as opensnoop.cc reads it: one layout for both halves, in C that
// compiles as the program's BCC C (with kernel headers or from BTF alone)
// and as C++.
#pragma once

#include <linux/types.h>

#define OPENSNOOP_COMM_LEN 16    // TASK_COMM_LEN
#define OPENSNOOP_FNAME_LEN 256  // a longer path is cut at 255 bytes

struct opensnoop_event {
    __u32 pid;   // tgid
    __u32 uid;
    __s32 ret;   // the file descriptor, or a negative errno
    __s32 flags; // open flags (openat2: how.flags)
    char comm[OPENSNOOP_COMM_LEN];
    char fname[OPENSNOOP_FNAME_LEN];  // as passed, not resolved
};
