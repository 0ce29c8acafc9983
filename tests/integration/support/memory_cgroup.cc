#include "support/memory_cgroup.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <thread>

namespace bcc::test {

namespace {

std::string first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

bool write_limit(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  out.flush();
  return static_cast<bool>(out);
}

bool exists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

}  // namespace

MemoryCgroup::MemoryCgroup(const std::string& name, uint64_t limit_bytes) {
  // cgroup v2: the unified hierarchy at /sys/fs/cgroup (or below it, on a
  // hybrid system), where children get the memory controller
  for (const char* root : {"/sys/fs/cgroup", "/sys/fs/cgroup/unified"}) {
    std::string controls = first_line(std::string(root) + "/cgroup.subtree_control");
    if (controls.find("memory") != std::string::npos && make(root, name, limit_bytes, true))
      return;
  }
  if (exists("/sys/fs/cgroup/memory/memory.limit_in_bytes") &&
      make("/sys/fs/cgroup/memory", name, limit_bytes, false))
    return;
  if (unavailable_.empty())
    unavailable_ = "no cgroup memory controller: neither cgroup v2 with the memory controller "
                   "enabled for children (/sys/fs/cgroup/cgroup.subtree_control) nor the "
                   "cgroup v1 memory hierarchy (/sys/fs/cgroup/memory)";
}

bool MemoryCgroup::make(const std::string& root, const std::string& name, uint64_t limit,
                        bool v2) {
  std::string path = root + "/" + name;
  if (mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) {
    unavailable_ = "cannot create " + path + ": " + std::strerror(errno);
    return false;
  }
  path_ = path;
  bool limited =
      v2 ? write_limit(path + "/memory.max", std::to_string(limit)) &&
               (!exists(path + "/memory.swap.max") || write_limit(path + "/memory.swap.max", "0"))
         : write_limit(path + "/memory.limit_in_bytes", std::to_string(limit)) &&
               (!exists(path + "/memory.memsw.limit_in_bytes") ||
                write_limit(path + "/memory.memsw.limit_in_bytes", std::to_string(limit)));
  if (!limited) {
    unavailable_ = "cannot set the memory limit of " + path;
    rmdir(path.c_str());
    path_.clear();
  }
  return limited;
}

bool MemoryCgroup::enter() const {
  // in a forked child: no allocation (another thread of the parent may have
  // held the allocator's lock at the fork)
  if (path_.empty()) return false;
  char procs[4096];
  char pid[24];
  snprintf(procs, sizeof(procs), "%s/cgroup.procs", path_.c_str());
  int length = snprintf(pid, sizeof(pid), "%d", getpid());
  int fd = open(procs, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  bool written = write(fd, pid, length) == length;
  close(fd);
  return written;
}

MemoryCgroup::~MemoryCgroup() {
  if (path_.empty()) return;
  // a killed process leaves the cgroup a little after its parent reaped it
  for (int i = 0; i < 50 && rmdir(path_.c_str()) != 0 && errno == EBUSY; i++)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
}

}  // namespace bcc::test
