// What biosnoop.bpf sends for each block I/O request that completed, as
// biosnoop.cc reads it: one layout for both halves, in C that compiles as
// the program's BCC C (with kernel headers or from BTF alone) and as C++.
#pragma once

#include <linux/types.h>

#define BIOSNOOP_COMM_LEN 16  // TASK_COMM_LEN

// The request's operation and flags, as the kernel's rwbs string shows
// them (blk_fill_rwbs): the program maps the running kernel's REQ_* values
// to these, which do not change.
enum biosnoop_op {
    BIOSNOOP_OP_READ,          // R
    BIOSNOOP_OP_WRITE,         // W
    BIOSNOOP_OP_FLUSH,         // F
    BIOSNOOP_OP_DISCARD,       // D
    BIOSNOOP_OP_SECURE_ERASE,  // DE
    BIOSNOOP_OP_OTHER,         // N
};
#define BIOSNOOP_PREFLUSH 1  // F before the operation
#define BIOSNOOP_FUA 2       // F after it
#define BIOSNOOP_RAHEAD 4    // A
#define BIOSNOOP_SYNC 8      // S
#define BIOSNOOP_META 16     // M

// one completed request
struct biosnoop_event {
    char comm[BIOSNOOP_COMM_LEN];  // of the submitter; empty when not seen
    __u64 latency_ns;              // issue to completion
    __u64 queued_ns;               // insert to issue (`queued`); 0 when not inserted
    __u64 sector;
    __u32 bytes;
    __u32 pid;  // of the submitter; 0 when not seen
    __u32 dev;  // the disk's dev_t, major << 20 | minor
    __u8 op;    // enum biosnoop_op
    __u8 flags;
    __u16 pad;
};
