// pmdabcc-loader NAME: builds one program for the agent and hands it over
// (protocol.h). The request comes on descriptor kRequestFd, the answer goes
// on kSocketFd; every failure after the request is read is reported in the
// manifest, and the process ends with _exit so that nothing is detached.
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>

#include "loader/build.h"
#include "loader/fd_passing.h"
#include "loader/protocol.h"
#include "loader/source_policy.h"

using namespace bcc::loader;

namespace {

// Descriptors 0-2 must be open: otherwise the next memfd or map would take
// one, and the stderr capture would write into it.
void ensure_standard_fds() {
  for (int fd = 0; fd <= 2; fd++)
    if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
      int null = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
      if (null >= 0 && null != fd) {
        dup2(null, fd);
        close(null);
      }
    }
}

bool read_all(int fd, std::string* text) {
  char buf[65536];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) return true;
    text->append(buf, static_cast<size_t>(n));
  }
}

std::string errno_text(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

// A mount namespace of the loader's own, with empty BPF filesystems: what a
// program pins vanishes with the loader, and a pinned table cannot open
// another program's maps. "" when done, else why not.
std::string private_bpf_filesystems() {
  if (unshare(CLONE_NEWNS) != 0) return errno_text("cannot unshare the mount namespace");
  if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
    return errno_text("cannot make mounts private");
  if (mount("bpf", "/sys/fs/bpf", "bpf", 0, nullptr) != 0)
    return errno_text("cannot mount a private bpf filesystem on /sys/fs/bpf");
  // other BPF filesystems mounted elsewhere: covered as well
  std::ifstream mounts("/proc/self/mounts");
  std::string device, point, type, rest;
  while (mounts >> device >> point >> type && std::getline(mounts, rest))
    if (type == "bpf" && point != "/sys/fs/bpf" && point.find('\\') == std::string::npos &&
        mount("bpf", point.c_str(), "bpf", 0, nullptr) != 0)
      return errno_text(("cannot cover the bpf filesystem on " + point).c_str());
  return "";
}

// The test suite's hook to make a loader crash on demand: root must create
// the flag file, and the program must ask for it.
void crash_if_the_test_suite_asks(const BuildRequest& request) {
  struct stat st {};
  if (stat("/run/pmdabcc-test-loader-crash", &st) == 0 && st.st_uid == 0 &&
      request.source.find("PMDABCC_TEST_LOADER_CRASH") != std::string::npos)
    raise(SIGSEGV);
}

[[noreturn]] void report(const Manifest& manifest, const std::vector<int>& fds) {
  try {
    int memfd = text_memfd("pmdabcc-manifest", to_json(manifest));
    send_descriptors(kSocketFd, fds, memfd);
  } catch (const std::exception& e) {
    fprintf(stderr, "pmdabcc-loader: %s\n", e.what());
    _exit(kExitBadRequest);
  }
  // no destructors: libbcc's objects would detach what the agent now holds
  _exit(0);
}

}  // namespace

int main(int argc, char** argv) {
  (void)argc;
  (void)argv;  // argv[1]: the program's name, for ps only
  ensure_standard_fds();
  // an orphaned loader has no one to report to
  prctl(PR_SET_PDEATHSIG, SIGKILL);

  std::string json;
  BuildRequest request;
  if (!read_all(kRequestFd, &json)) {
    fprintf(stderr, "pmdabcc-loader: cannot read the request: %s\n", std::strerror(errno));
    _exit(kExitBadRequest);
  }
  close(kRequestFd);
  try {
    request = request_from_json(json);
  } catch (const std::exception& e) {
    fprintf(stderr, "pmdabcc-loader: %s\n", e.what());
    _exit(kExitBadRequest);
  }

  Manifest refused;
  refused.error = policy_problem(request.source, request.policy, request.include_dir);
  if (!refused.error.empty()) report(refused, {});

  std::string isolation = private_bpf_filesystems();
  if (!isolation.empty()) {
    if (request.policy == SourcePolicy::registered) {
      refused.error = "refusing to build a registered program without a private bpf filesystem: " +
                      isolation;
      report(refused, {});
    }
    fprintf(stderr, "pmdabcc-loader: %s; pinned tables stay after the loader\n",
            isolation.c_str());
  }

  crash_if_the_test_suite_asks(request);

  std::vector<int> fds;
  Manifest manifest;
  try {
    manifest = build(request, &fds);
  } catch (const std::exception& e) {
    manifest = Manifest();
    fds.clear();
    manifest.error = std::string("loader failed: ") + e.what();
  }
  report(manifest, fds);
}
