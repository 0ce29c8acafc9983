// Work that makes the kernel produce the events modules count.
#pragma once

#include <string>

namespace bcc::test {

// `sleepers` threads each sleep briefly and wake `wakeups` times while
// spinning threads keep every CPU busy, so the wakers wait in the run queue.
void scheduler_churn(int sleepers, int wakeups);

// `count` synchronous O_DIRECT writes of 4 KiB to a file at `path`; returns
// "" or why it could not (a file system without O_DIRECT).
std::string direct_writes(const std::string& path, int count);

// Forks `n` children that exit at once, reaping each; how many were made.
int fork_children(int n);

}  // namespace bcc::test
