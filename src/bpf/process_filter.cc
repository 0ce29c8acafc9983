#include "bpf/process_filter.h"

#include <dirent.h>
#include <fnmatch.h>
#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <climits>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "bpf/binaries.h"
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

std::vector<long> parse_process_users(const std::string& text) {
  std::vector<long> out;
  for (const std::string& item : config::split_list(text)) {
    if (auto uid = config::parse_unsigned(item, 0, UINT32_MAX - 1)) {
      out.push_back(static_cast<long>(*uid));
      continue;
    }
    struct passwd entry {}, *found = nullptr;
    std::vector<char> buffer(16384);
    if (getpwnam_r(item.c_str(), &entry, buffer.data(), buffer.size(), &found) != 0 || !found)
      throw std::invalid_argument("'" + item + "' is neither a user name nor a uid");
    out.push_back(static_cast<long>(found->pw_uid));
  }
  return out;
}

std::vector<std::string> parse_process_exes(const std::string& text) {
  std::vector<std::string> out = config::split_list(text);
  for (const std::string& item : out)
    if (item.empty() || item[0] != '/')
      throw std::invalid_argument("'" + item + "' is not an absolute path (/usr/bin/java, "
                                               "/usr/lib/jvm/*/bin/java)");
  return out;
}

ProcessFilter::ProcessFilter(const std::string& spec, ProcessNarrowing narrowing)
    : narrowing_(std::move(narrowing)) {
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
  if (!narrowing_.users.empty() &&
      std::find(narrowing_.users.begin(), narrowing_.users.end(), p.uid) == narrowing_.users.end())
    return false;
  if (!narrowing_.exes.empty() &&
      std::none_of(narrowing_.exes.begin(), narrowing_.exes.end(), [&](const std::string& e) {
        // (a path never holds a NUL; one that does is not what it seems)
        return !p.exe.empty() && p.exe.find('\0') == std::string::npos &&
               fnmatch(e.c_str(), p.exe.c_str(), 0) == 0;
      }))
    return false;
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

std::optional<ProcessInfo> read_process(int pid, bool owner) {
  std::string base = "/proc/" + std::to_string(pid);
  std::ifstream comm_file(base + "/comm");
  if (!comm_file) return std::nullopt;
  ProcessInfo p;
  p.pid = pid;
  std::getline(comm_file, p.comm);
  p.cmdline = join_cmdline(slurp(base + "/cmdline"), p.comm);
  if (owner) {
    std::ifstream status(base + "/status");
    for (std::string line; std::getline(status, line);)
      if (line.rfind("Uid:", 0) == 0) {
        std::istringstream fields(line.substr(4));
        long real = -1;
        if (fields >> real) p.uid = real;
        break;
      }
    char target[PATH_MAX];
    ssize_t n = readlink((base + "/exe").c_str(), target, sizeof target);
    // still running the file an upgrade replaced: it is the same program
    if (n > 0 && static_cast<size_t>(n) < sizeof target)
      p.exe = without_deleted_mark(std::string(target, n));
  }
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

bool process_running(int pid) {
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
    if (auto p = read_process(static_cast<int>(*pid), !narrowing_.empty()); p && matches(*p))
      out.push_back(*p);
  }
  std::sort(out.begin(), out.end(),
            [](const ProcessInfo& a, const ProcessInfo& b) { return a.pid < b.pid; });
  return out;
}

}  // namespace bcc
