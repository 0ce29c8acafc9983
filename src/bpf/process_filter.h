// The `process` option: which processes a module follows. A comma list; a
// plain word (letters, digits, '_', '-', '.') matches a pid or a command name
// exactly; anything else is a regular expression (RE2 syntax: linear time,
// whatever the pattern) matched against the whole command line.
//
// Any user can start a process of any name, so a name alone can be taken
// over; `process_user` (names or uids: the process's real user) and
// `process_exe` (shell patterns on the executable's path, /proc/PID/exe)
// narrow the matches to processes that also have one of those.
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
  // read only for a filter that narrows by them:
  long uid = -1;        // real user id; -1 unknown
  std::string exe;      // /proc/PID/exe's target; "" unknown (kernel threads)
};

// What narrows the matches, both optional (empty: anyone, anything).
struct ProcessNarrowing {
  std::vector<long> users;        // real uids
  std::vector<std::string> exes;  // fnmatch(3) patterns on the executable's path
  bool empty() const { return users.empty() && exes.empty(); }
};
// `process_user`: a comma list of user names or uids. Throws
// std::invalid_argument naming an unknown user.
std::vector<long> parse_process_users(const std::string& text);
// `process_exe`: a comma list of absolute paths, with shell wildcards.
// Throws std::invalid_argument naming one that is not absolute.
std::vector<std::string> parse_process_exes(const std::string& text);

class ProcessFilter {
 public:
  // Throws std::invalid_argument naming the bad regular expression.
  explicit ProcessFilter(const std::string& spec, ProcessNarrowing narrowing = {});
  ~ProcessFilter();
  ProcessFilter(ProcessFilter&&) noexcept;

  bool empty() const { return words_.empty() && patterns_.empty(); }
  bool matches(const ProcessInfo& p) const;
  // Every running process that matches, in pid order.
  std::vector<ProcessInfo> scan() const;

 private:
  std::vector<std::string> words_;
  std::vector<config::Pattern> patterns_;
  ProcessNarrowing narrowing_;
};

// /proc/PID facts, or nullopt when the process is gone; its user and
// executable too with `owner`.
std::optional<ProcessInfo> read_process(int pid, bool owner = false);
// The ids of the process's threads (its pid among them), ascending.
std::vector<int> thread_ids(int pid);
// Whether a process (or thread) with this id exists: the one liveness test
// of the agent (process filters, exited processes, followed pids).
bool process_running(int pid);
// Parses /proc/PID/cmdline's NUL-separated text.
std::string join_cmdline(const std::string& raw, const std::string& comm);

}  // namespace bcc
