// Tight loops of the kernel events modules trace, timed, to measure what
// the attached BPF programs add to each event (run with and without an agent).
#pragma once

#include <cstdint>

namespace bench {

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

}  // namespace bench
