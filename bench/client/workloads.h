// Tight loops of the kernel events modules trace, timed, to measure what
// the attached BPF programs add to each event (run with and without an agent).
#pragma once

#include <chrono>
#include <cstdint>

namespace bench {

using Clock = std::chrono::steady_clock;

// Nanoseconds per getpid() system call (raw syscall, no libc cache).
double ns_per_getpid(uint64_t iterations);

// Nanoseconds per context switch: two threads pinned to one CPU hand a byte
// back and forth through pipes, each hand-over one wakeup and one switch
// (the events runqlat traces).
double ns_per_context_switch(uint64_t round_trips);

// Nanoseconds per TCP connection over loopback: connect, accept, close
// (the state changes tcplife traces). Connections are reset on close so
// that no TIME_WAIT accumulates.
double ns_per_tcp_connection(uint64_t connections);

// The same events as a storm for the soak: each loop runs until `until` or
// `limit` events, whichever comes first, and returns how many it made.

// getpid() system calls.
uint64_t getpid_storm(Clock::time_point until, uint64_t limit);
// Processes started and waited for, one at a time: /bin/true run with
// `args` arguments (each a fork, an exec and an exit; execsnoop sees one
// event per argument).
uint64_t exec_storm(Clock::time_point until, uint64_t limit, int args);
// Loopback TCP connections, opened and reset at once.
uint64_t tcp_storm(Clock::time_point until, uint64_t limit);

}  // namespace bench
