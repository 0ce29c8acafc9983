// The agent runs as root and loads code into the kernel from its files, so
// it refuses files that anyone but root could have written.
#pragma once

#include <string>

namespace bcc::config {

// "" when `path` (and the folder holding it) is owned by root and writable by
// no one else; otherwise why not, with the fix. Only enforced when the agent
// itself runs as root: an unprivileged run (tests, --check by a user) cannot
// load BPF anyway.
std::string untrusted_reason(const std::string& path);

}  // namespace bcc::config
