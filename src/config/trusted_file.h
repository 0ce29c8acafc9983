// The agent runs as root and loads code into the kernel from its files, so
// it refuses files that anyone but root could have written.
#pragma once

#include <string>

namespace bcc::config {

// "" when `path` is a regular file owned by root and writable by no one else,
// and every folder from it up to / is owned by root and writable by no one
// else (sticky folders such as /tmp excepted: others cannot replace root's
// files there); otherwise why not, with the fix. The file is opened first and
// the open file checked, so a path swapped after the check is not what gets
// judged, and a FIFO never blocks. A missing file gives "" (its reader says
// so). Only enforced when the agent itself runs as root: an unprivileged run
// (tests, --check by a user) cannot load BPF anyway.
std::string untrusted_reason(const std::string& path);

// A file's text, read from the very descriptor that was checked.
struct TrustedText {
  bool missing = false;  // no such file
  std::string error;     // untrusted or unreadable: why, with the fix
  std::string text;
};
TrustedText read_trusted_file(const std::string& path);

}  // namespace bcc::config
