// The record execsnoop.bpf sends through its events perf buffer, as
// exec_events.cc reads it: one layout for both halves, in C that compiles
// as the program's BCC C (with kernel headers or from BTF alone) and as C++.
#pragma once

#include <linux/types.h>

#define EXECSNOOP_COMM_LEN 16   // TASK_COMM_LEN
#define EXECSNOOP_ARG_SIZE 128  // an argument is cut at 127 bytes

// What a record reports: one argument of an exec() (at its entry), or its
// result (at its return).
enum execsnoop_event_kind {
    EXECSNOOP_ARGUMENT = 0,
    EXECSNOOP_RESULT = 1,
};

struct execsnoop_event {
    __u32 pid;
    __u32 ppid;    // EXECSNOOP_RESULT
    __u32 kind;    // enum execsnoop_event_kind
    __s32 retval;  // EXECSNOOP_RESULT: 0, or a negative errno
    __u32 index;   // EXECSNOOP_ARGUMENT: 0, the file name, starts an exec
    char comm[EXECSNOOP_COMM_LEN];  // EXECSNOOP_RESULT
    char arg[EXECSNOOP_ARG_SIZE];   // EXECSNOOP_ARGUMENT
};
