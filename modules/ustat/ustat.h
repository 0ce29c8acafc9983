// The value of ustat.bpf's counts map (one per followed process), as
// ustat.cc reads it: one layout for both halves, in C that compiles as the
// program's BCC C (with kernel headers or from BTF alone) and as C++.
#pragma once

#include <linux/types.h>

// What a runtime's event counts as: its slot in struct ustat_counts, and
// the item of its metric. The agent names the category of each probe's
// function (COUNT_FUNCTION(name, category)).
enum ustat_category {
    USTAT_THREAD = 0,
    USTAT_METHOD = 1,
    USTAT_OBJECT = 2,
    USTAT_CLASS = 3,
    USTAT_EXCEPTION = 4,
    USTAT_GC = 5,
    USTAT_CATEGORIES = 6,
};

struct ustat_counts {
    __u64 events[USTAT_CATEGORIES];
};
