// The `process` option: which processes a module follows. A comma list; a
// plain word (letters, digits, '_', '-', '.') matches a pid or a command name
// exactly; anything else is a regular expression (RE2 syntax: linear time,
// whatever the pattern) matched against the whole command line.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/pattern.h"


namespace bcc {

struct ProcessInfo {
  int pid = 0;
  std::string comm;     // /proc/PID/comm
  std::string cmdline;  // arguments joined by spaces; "(comm)" for kernel threads
};

class ProcessFilter {
 public:
  // Throws std::invalid_argument naming the bad regular expression.
  explicit ProcessFilter(const std::string& spec);
  ~ProcessFilter();
  ProcessFilter(ProcessFilter&&) noexcept;

  bool empty() const { return words_.empty() && patterns_.empty(); }
  bool matches(const ProcessInfo& p) const;
  // Every running process that matches, in pid order.
  std::vector<ProcessInfo> scan() const;

 private:
  std::vector<std::string> words_;
  std::vector<config::Pattern> patterns_;
};

// /proc/PID facts, or nullopt when the process is gone.
std::optional<ProcessInfo> read_process(int pid);
// The ids of the process's threads (its pid among them), ascending.
std::vector<int> thread_ids(int pid);
// Whether a process (or thread) with this id exists.
bool process_alive(int pid);
// Parses /proc/PID/cmdline's NUL-separated text.
std::string join_cmdline(const std::string& raw, const std::string& comm);

}  // namespace bcc
