// The key of profile.bpf's counts map, one sampled (process, user stack,
// kernel stack), as profile.cc reads it: one layout for both halves, in C
// that compiles as the program's BCC C (with kernel headers or from BTF
// alone) and as C++.
#pragma once

#include <linux/types.h>

#define PROFILE_COMM_LEN 16  // TASK_COMM_LEN

struct profile_key {
    __u32 pid;
    __s32 user_stack_id;  // of stack_traces; negative: none (-EFAULT) or lost (-ENOMEM, -EEXIST)
    __s32 kernel_stack_id;
    char name[PROFILE_COMM_LEN];
};
