#include "support/kernel_headers_aside.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>

namespace bcc::test {

namespace {

const char* const kAside = ".pmdabcc-btf-test";
const char* const kLock = "/run/lock/pmdabcc-integration.lock";

bool present(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0;
}

std::string link_of(const std::string& path) {
  char target[4096] = {};
  ssize_t n = readlink(path.c_str(), target, sizeof target - 1);
  return n > 0 ? std::string(target, static_cast<size_t>(n)) : "";
}

void put_back_on_signal(int sig) {
  put_back_kernel_headers();
  signal(sig, SIG_DFL);
  raise(sig);
}

// The parent of `pid`, 0 when unknown.
int parent_of(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  int ppid = 0;
  char state;
  if (sscanf(stat.c_str() + close + 1, " %c %d", &state, &ppid) != 2) return 0;
  return ppid;
}

bool holds_open(int pid, const std::string& path) {
  std::string fds = "/proc/" + std::to_string(pid) + "/fd";
  DIR* dir = opendir(fds.c_str());
  if (dir == nullptr) return false;
  bool found = false;
  while (struct dirent* e = readdir(dir))
    if (e->d_name[0] != '.' && link_of(fds + "/" + e->d_name) == path) {
      found = true;
      break;
    }
  closedir(dir);
  return found;
}

}  // namespace

std::string kernel_modules_dir() {
  struct utsname u;
  uname(&u);
  return std::string("/lib/modules/") + u.release;
}

void put_back_kernel_headers() {
  for (const char* name : {"build", "source"}) {
    std::string entry = kernel_modules_dir() + "/" + name, aside = entry + kAside;
    if (!present(aside)) continue;
    if (!present(entry)) {
      if (rename(aside.c_str(), entry.c_str()) != 0)
        fprintf(stderr, "cannot put %s back as %s: %s\n", aside.c_str(), entry.c_str(),
                strerror(errno));
      continue;
    }
    std::string left = link_of(aside);
    if (!left.empty() && left == link_of(entry))
      unlink(aside.c_str());
    else
      fprintf(stderr, "%s was made again meanwhile: %s is left\n", entry.c_str(), aside.c_str());
  }
}

KernelHeadersAside::~KernelHeadersAside() { put_back_kernel_headers(); }

std::string KernelHeadersAside::move() {
  put_back_kernel_headers();  // a previous run's
  static bool hooked = false;
  if (!hooked) {
    hooked = true;
    std::atexit(put_back_kernel_headers);
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGABRT, SIGSEGV, SIGBUS})
      signal(sig, put_back_on_signal);
  }
  for (const char* name : {"build", "source"}) {
    std::string entry = kernel_modules_dir() + "/" + name, aside = entry + kAside;
    if (!present(entry)) continue;
    if (rename(entry.c_str(), aside.c_str()) != 0)
      return "cannot move " + entry + " aside: " + strerror(errno);
    moved_ = true;
  }
  return "";
}

std::string hold_integration_lock() {
  for (int pid = getppid(); pid > 1; pid = parent_of(pid))
    if (holds_open(pid, kLock)) return "";
  static int fd = -1;
  if (fd >= 0) return "";
  fd = open(kLock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return std::string("cannot open ") + kLock + ": " + strerror(errno);
  std::string said;
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    fprintf(stderr, "waiting for %s (another integration run holds it)\n", kLock);
    while (flock(fd, LOCK_EX) != 0)
      if (errno != EINTR) return std::string("cannot lock ") + kLock + ": " + strerror(errno);
    said = "waited for and took ";
  } else {
    said = "took ";
  }
  return said + kLock + " (not run under it)";
}

}  // namespace bcc::test
