#include "bpf/process_filter.h"

#include <dirent.h>
#include <signal.h>

#include <cerrno>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "config/values.h"

namespace bcc {

namespace {

bool plain_word(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '_' || c == '-' || c == '.';
  });
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

ProcessFilter::ProcessFilter(const std::string& spec) {
  for (const std::string& item : config::split_list(spec)) {
    if (plain_word(item)) {
      words_.push_back(item);
      continue;
    }
    patterns_.emplace_back(item);
  }
}

ProcessFilter::~ProcessFilter() = default;
ProcessFilter::ProcessFilter(ProcessFilter&&) noexcept = default;

bool ProcessFilter::matches(const ProcessInfo& p) const {
  std::string pid = std::to_string(p.pid);
  for (const std::string& w : words_)
    if (w == pid || w == p.comm) return true;
  for (const auto& r : patterns_)
    if (r.matches_whole(p.cmdline)) return true;
  return false;
}

std::string join_cmdline(const std::string& raw, const std::string& comm) {
  if (raw.empty()) return "(" + comm + ")";
  std::string out = raw;
  while (!out.empty() && out.back() == '\0') out.pop_back();
  std::replace(out.begin(), out.end(), '\0', ' ');
  return out;
}

std::optional<ProcessInfo> read_process(int pid) {
  std::string base = "/proc/" + std::to_string(pid);
  std::ifstream comm_file(base + "/comm");
  if (!comm_file) return std::nullopt;
  ProcessInfo p;
  p.pid = pid;
  std::getline(comm_file, p.comm);
  p.cmdline = join_cmdline(slurp(base + "/cmdline"), p.comm);
  return p;
}

std::vector<int> thread_ids(int pid) {
  std::vector<int> out;
  std::unique_ptr<DIR, int (*)(DIR*)> dir(opendir(("/proc/" + std::to_string(pid) + "/task").c_str()),
                                          closedir);
  if (!dir) return out;
  while (dirent* d = readdir(dir.get()))
    if (auto tid = config::parse_unsigned(d->d_name, 1, INT32_MAX)) out.push_back(static_cast<int>(*tid));
  std::sort(out.begin(), out.end());
  return out;
}

bool process_alive(int pid) {
  // EPERM: it exists but belongs to someone we may not signal
  return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM);
}

std::vector<ProcessInfo> ProcessFilter::scan() const {
  std::vector<ProcessInfo> out;
  if (empty()) return out;
  std::unique_ptr<DIR, int (*)(DIR*)> dir(opendir("/proc"), closedir);
  if (!dir) return out;
  while (dirent* d = readdir(dir.get())) {
    auto pid = config::parse_unsigned(d->d_name, 1, INT32_MAX);
    if (!pid) continue;
    if (auto p = read_process(static_cast<int>(*pid)); p && matches(*p)) out.push_back(*p);
  }
  std::sort(out.begin(), out.end(),
            [](const ProcessInfo& a, const ProcessInfo& b) { return a.pid < b.pid; });
  return out;
}

}  // namespace bcc
