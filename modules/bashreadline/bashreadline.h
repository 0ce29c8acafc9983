// What bashreadline.bpf sends for each line bash reads, as bashreadline.cc
// reads it: one layout for both halves, in C that compiles as the
// program's BCC C (with kernel headers or from BTF alone) and as C++.
#pragma once

#include <linux/types.h>

#define BASHREADLINE_LINE_SIZE 80  // a line is cut at 79 bytes

struct bashreadline_line {
    __u32 pid;
    char line[BASHREADLINE_LINE_SIZE];  // NUL-terminated
};
