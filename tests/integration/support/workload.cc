#include "support/workload.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <thread>
#include <vector>

namespace bcc::test {

void scheduler_churn(int sleepers, int wakeups) {
  std::atomic<bool> stop{false};
  std::vector<std::thread> spinners;
  unsigned cpus = std::thread::hardware_concurrency();
  for (unsigned i = 0; i < (cpus ? cpus : 2); i++)
    spinners.emplace_back([&stop] {
      volatile unsigned long n = 0;
      while (!stop.load(std::memory_order_relaxed)) n = n + 1;
    });
  std::vector<std::thread> threads;
  for (int i = 0; i < sleepers; i++)
    threads.emplace_back([wakeups] {
      for (int j = 0; j < wakeups; j++) usleep(200);
    });
  for (auto& t : threads) t.join();
  stop = true;
  for (auto& t : spinners) t.join();
}

std::string direct_writes(const std::string& path, int count) {
  int fd = open(path.c_str(), O_CREAT | O_WRONLY | O_TRUNC | O_DIRECT | O_SYNC, 0600);
  if (fd < 0) return "open " + path + " with O_DIRECT: " + strerror(errno);
  void* buf = nullptr;
  if (posix_memalign(&buf, 4096, 4096) != 0) {
    close(fd);
    return "posix_memalign failed";
  }
  memset(buf, 'x', 4096);
  std::string error;
  for (int i = 0; i < count && error.empty(); i++)
    if (pwrite(fd, buf, 4096, static_cast<off_t>(i) * 4096) != 4096)
      error = std::string("O_DIRECT write: ") + strerror(errno);
  free(buf);
  close(fd);
  unlink(path.c_str());
  return error;
}

int fork_children(int n) {
  int made = 0;
  for (int i = 0; i < n; i++) {
    pid_t child = fork();
    if (child == 0) _exit(0);
    if (child > 0 && waitpid(child, nullptr, 0) == child) made++;
  }
  return made;
}

}  // namespace bcc::test
