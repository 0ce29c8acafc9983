// Maps keyed by process: entries of processes that have exited retire.
#pragma once

#include <string>

#include "bpf/maps.h"

namespace bcc {

// Whether a process (tgid) is still running.
bool process_running(int pid);

// Deletes the entries of `table` whose key starts with a u32 pid of a process
// that is no longer running; returns how many.
size_t remove_exited_processes(Maps& maps, const std::string& table);

}  // namespace bcc
