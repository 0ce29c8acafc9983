// What exitsnoop.bpf sends for each exit, as exitsnoop.cc reads it: one
// layout for both halves, in C that compiles as the program's BCC C (with
// kernel headers or from BTF alone) and as C++.
#pragma once

#include <linux/types.h>

#define EXITSNOOP_COMM_LEN 16  // TASK_COMM_LEN

struct exitsnoop_event {
    __u64 start_time;  // task_struct.start_time: ns of CLOCK_MONOTONIC
    __u64 exit_time;   // bpf_ktime_get_ns() at the exit, the same clock
    __u32 pid;         // thread group (process) id
    __u32 tid;
    __u32 ppid;        // the real parent's thread group id
    __u32 sig;         // task_struct.exit_code & 0xff: signal, 0x80 = core dumped
    __s32 exit_code;   // task_struct.exit_code >> 8: the status given to exit()
    __u32 pad;
    char comm[EXITSNOOP_COMM_LEN];
};
