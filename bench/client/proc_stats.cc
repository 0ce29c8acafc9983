#include "proc_stats.h"

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

constexpr size_t kUtime = 14 - 3, kStime = 15 - 3, kStartTime = 22 - 3;

}  // namespace

double cpu_seconds(int pid) {
  std::vector<std::string> f = stat_fields(pid);
  if (f.size() <= kStime) return -1;
  double ticks = std::stod(f[kUtime]) + std::stod(f[kStime]);
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double seconds_since_start(int pid) {
  std::vector<std::string> f = stat_fields(pid);
  if (f.size() <= kStartTime) return -1;
  double started = std::stod(f[kStartTime]) / static_cast<double>(sysconf(_SC_CLK_TCK));
  timespec now{};
  clock_gettime(CLOCK_BOOTTIME, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9 - started;
}

}  // namespace bench
