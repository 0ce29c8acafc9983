// What oomkill.bpf sends for each OOM victim, as oomkill.cc reads it: one
// layout for both halves, in C that compiles as the program's BCC C (with
// kernel headers or from BTF alone) and as C++.
#pragma once

#include <linux/types.h>

#define OOMKILL_COMM_LEN 16  // TASK_COMM_LEN

struct oomkill_event {
    __u32 fpid;  // the process on the CPU that ran the OOM killer
    __u32 tpid;  // the victim's thread group (process) id
    __u32 uid;   // the victim's user id
    __u32 pad;
    char fcomm[OOMKILL_COMM_LEN];
    char tcomm[OOMKILL_COMM_LEN];
};
