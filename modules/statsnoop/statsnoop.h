// What statsnoop.bpf sends for each stat(2)-family call that returned, as
// statsnoop.cc reads it: one layout for both halves, in C that compiles as
// the program's BCC C (with kernel headers or from BTF alone) and as C++.
#pragma once

#include <linux/types.h>

#define STATSNOOP_COMM_LEN 16   // TASK_COMM_LEN
#define STATSNOOP_PATH_LEN 256  // a longer path is cut at 255 bytes

struct statsnoop_event {
    __u32 pid;  // tgid
    __s32 ret;  // 0, or a negative errno
    char comm[STATSNOOP_COMM_LEN];
    char path[STATSNOOP_PATH_LEN];  // as passed; empty for fstat()
};
