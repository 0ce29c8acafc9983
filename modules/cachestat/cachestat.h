// The slots of cachestat.bpf's counts array (per CPU), as cachestat.cc
// reads them: one numbering for both halves, in C that compiles as the
// program's BCC C (with kernel headers or from BTF alone) and as C++.
// User space derives hits, misses and dirtied pages from them
// (page_cache_stats.h).
#pragma once

enum cachestat_slot {
    CACHESTAT_ACCESSED = 0,         // a page looked up and marked accessed (kprobes only)
    CACHESTAT_ADDED = 1,            // pages added to the page cache (a miss being filled)
    CACHESTAT_ACCOUNT_DIRTIED = 2,  // a page (folio) accounted as dirtied
    CACHESTAT_BUFFER_DIRTIED = 3,   // a buffer head marked dirty
    CACHESTAT_SLOTS = 4,
};
