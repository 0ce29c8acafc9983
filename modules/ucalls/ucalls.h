// The key and value of ucalls.bpf's calls map, as ucalls.cc reads them: one
// layout for both halves, in C that compiles as the program's BCC C (with
// kernel headers or from BTF alone) and as C++.
#pragma once

#include <linux/types.h>

// a power of two: the program masks a name's length with it
#define UCALLS_NAME_LENGTH 128

// a method: class and method names, NUL-terminated unless cut
struct ucalls_method {
    char clazz[UCALLS_NAME_LENGTH];
    char method[UCALLS_NAME_LENGTH];
};

// its calls
struct ucalls_calls {
    __u64 count;     // calls entered
    __u64 timed;     // calls whose return was seen (LATENCY)
    __u64 total_us;  // their time, microseconds
};
