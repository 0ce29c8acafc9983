// Instance names for per-process metrics, as the Python BCC agent wrote them.
#pragma once

#include <string>

namespace bcc {

// The pid as six digits: 441 -> "000441".
std::string padded_pid(int pid);

// "001379 /usr/sbin/sshd": the padded pid and the command's first word, as
// PCP's proc agent names processes; just the padded pid when the process has
// no command line (kernel threads) or is gone.
std::string process_instance_name(int pid);
// The same from /proc/PID/cmdline's raw text.
std::string process_instance_name(int pid, const std::string& raw_cmdline);

// The number an instance name starts with ("001379 /usr/sbin/sshd" -> 1379),
// or -1.
int leading_number(const std::string& name);

}  // namespace bcc
