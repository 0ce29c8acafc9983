// What fsslower.bpf sends for each file system operation slower than the
// threshold, as fsslower.cc reads it: one layout for both halves, in C that
// compiles as the program's BCC C (with kernel headers or from BTF alone)
// and as C++.
#pragma once

#include <linux/types.h>

#define FSSLOWER_COMM_LEN 16  // TASK_COMM_LEN
#define FSSLOWER_FILE_LEN 32  // a longer file name is cut at 31 bytes

enum fsslower_op {
    FSSLOWER_READ = 0,
    FSSLOWER_WRITE,
    FSSLOWER_OPEN,
    FSSLOWER_FSYNC,
};

struct fsslower_event {
    __u64 delta_us;  // how long the operation took
    __s64 offset;    // read, write: the file position; fsync: the range's start
    __s64 size;      // read, write: what the call returned; fsync: the range's size
    __u32 pid;       // tgid
    __u32 op;        // enum fsslower_op
    char file[FSSLOWER_FILE_LEN];  // the file's name (its dentry's: no directory)
    char comm[FSSLOWER_COMM_LEN];
};
