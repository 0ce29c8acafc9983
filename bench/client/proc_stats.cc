#include "proc_stats.h"

#include <dirent.h>
#include <time.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace bench {

namespace {

// Fields of /proc/PID/stat after the command name, which may hold spaces
// and parentheses: field 3 (state) is the first element.
std::vector<std::string> stat_fields(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  std::getline(in, text);
  std::vector<std::string> out;
  size_t close = text.rfind(')');
  if (close == std::string::npos) return out;
  std::istringstream rest(text.substr(close + 1));
  std::string field;
  while (rest >> field) out.push_back(field);
  return out;
}

// The number after "key:" in a /proc file of "key: value kB" lines; -1 if absent.
long kb_field(const std::string& path, const std::string& key) {
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);)
    if (line.compare(0, key.size() + 1, key + ":") == 0) return std::stol(line.substr(key.size() + 1));
  return -1;
}

constexpr size_t kUtime = 14 - 3, kStime = 15 - 3, kCutime = 16 - 3, kCstime = 17 - 3,
                 kStartTime = 22 - 3;

}  // namespace

double cpu_seconds(int pid) {
  std::vector<std::string> f = stat_fields(pid);
  if (f.size() <= kStime) return -1;
  double ticks = std::stod(f[kUtime]) + std::stod(f[kStime]);
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double children_cpu_seconds(int pid) {
  std::vector<std::string> f = stat_fields(pid);
  if (f.size() <= kCstime) return -1;
  double ticks = std::stod(f[kCutime]) + std::stod(f[kCstime]);
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double sched_cpu_seconds(int pid) {
  std::string tasks = "/proc/" + std::to_string(pid) + "/task";
  DIR* dir = opendir(tasks.c_str());
  if (!dir) return -1;
  double ns = 0;
  while (dirent* e = readdir(dir)) {
    if (e->d_name[0] == '.') continue;
    std::ifstream in(tasks + "/" + e->d_name + "/schedstat");
    double on_cpu = 0;
    if (in >> on_cpu) ns += on_cpu;
  }
  closedir(dir);
  return ns / 1e9;
}

double seconds_since_start(int pid) {
  std::vector<std::string> f = stat_fields(pid);
  if (f.size() <= kStartTime) return -1;
  double started = std::stod(f[kStartTime]) / static_cast<double>(sysconf(_SC_CLK_TCK));
  timespec now{};
  clock_gettime(CLOCK_BOOTTIME, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9 - started;
}

MemoryUse memory_use(int pid) {
  std::string proc = "/proc/" + std::to_string(pid);
  return {kb_field(proc + "/status", "VmRSS"), kb_field(proc + "/smaps_rollup", "Private_Dirty")};
}

}  // namespace bench
