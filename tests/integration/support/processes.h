// Processes as the tests watch them and as the agent names them.
#pragma once

#include <string>

namespace bcc::test {

// Alive and not a zombie waiting for its parent to reap it.
bool running(int pid);

// The pid as per-process instance names carry it: six digits, zero-padded
// ("001234"), as in "001234 /usr/bin/cmd" or "vda::001234".
std::string padded_pid(int pid);

}  // namespace bcc::test
