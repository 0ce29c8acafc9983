#include "loader/loader_client.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <stdexcept>

#include "loader/compiler_output.h"
#include "loader/fd_passing.h"

extern char** environ;

namespace bcc {

namespace {

// A descriptor closed when it goes out of scope.
struct Fd {
  int fd = -1;
  explicit Fd(int f = -1) : fd(f) {}
  ~Fd() {
    if (fd >= 0) close(fd);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
};

int memfd_with(const std::string& name, const std::string& text) {
  int fd = memfd_create(name.c_str(), MFD_CLOEXEC);
  if (fd < 0) throw std::runtime_error(std::string("memfd_create: ") + std::strerror(errno));
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      int e = errno;
      close(fd);
      throw std::runtime_error(std::string("writing the loader's request: ") + std::strerror(e));
    }
    done += static_cast<size_t>(n);
  }
  lseek(fd, 0, SEEK_SET);
  return fd;
}

std::string memfd_text(int fd, size_t limit) {
  off_t size = lseek(fd, 0, SEEK_END);
  if (size <= 0) return "";
  std::string text(std::min<size_t>(static_cast<size_t>(size), limit), '\0');
  ssize_t n = pread(fd, text.data(), text.size(), size > static_cast<off_t>(limit) ? size - limit : 0);
  text.resize(n > 0 ? static_cast<size_t>(n) : 0);
  return text;
}

std::string how_it_ended(int status) {
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    return "loader killed by signal " + std::to_string(sig) + " (" + strsignal(sig) + ")";
  }
  if (WIFEXITED(status)) return "loader exited with status " + std::to_string(WEXITSTATUS(status));
  return "loader ended";
}

// A copy of `fd` numbered above the loader's fixed descriptors, so that
// putting the loader's in place cannot clobber one with another.
int above_fixed(int fd) {
  int copy = fcntl(fd, F_DUPFD_CLOEXEC, 10);
  if (copy < 0) throw std::runtime_error(std::string("fcntl: ") + std::strerror(errno));
  return copy;
}

pid_t spawn(const std::string& path, const std::string& name, int request_fd, int socket_fd,
            int error_log_fd) {
  Fd request(above_fixed(request_fd)), socket(above_fixed(socket_fd)),
      error_log(above_fixed(error_log_fd));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  // standard input is not pmcd's pipe, standard output (pmcd's other pipe)
  // is nobody's; nothing else of the agent's is inherited
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, error_log.fd, 2);
  posix_spawn_file_actions_adddup2(&actions, request.fd, loader::kRequestFd);
  posix_spawn_file_actions_adddup2(&actions, socket.fd, loader::kSocketFd);
  posix_spawn_file_actions_addclosefrom_np(&actions, loader::kSocketFd + 1);
  // the loader's argv names what it builds, for ps; hostile names are the
  // registered programs', which are made of safe characters
  std::string argv0 = "pmdabcc-loader";
  std::vector<char*> argv{argv0.data(), const_cast<char*>(name.c_str()), nullptr};
  pid_t pid = -1;
  int rc = posix_spawn(&pid, path.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + path + ": " + std::strerror(rc));
  return pid;
}

}  // namespace

std::string loader_path() {
  if (const char* env = getenv("PMDABCC_LOADER")) return env;
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return "pmdabcc-loader";
  std::string path(self, static_cast<size_t>(n));
  return path.substr(0, path.rfind('/') + 1) + "pmdabcc-loader";
}

LoaderRun run_loader(const loader::BuildRequest& request, std::chrono::seconds timeout) {
  LoaderRun run;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  pid_t pid = -1;
  try {
    Fd request_fd(memfd_with("pmdabcc-request", loader::to_json(request)));
    Fd error_log(memfd_create("pmdabcc-loader-stderr", MFD_CLOEXEC));
    int pair[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0)
      throw std::runtime_error(std::string("socketpair: ") + std::strerror(errno));
    Fd ours(pair[0]), theirs(pair[1]);
    pid = spawn(loader_path(), request.name, request_fd.fd, theirs.fd, error_log.fd);
    close(theirs.fd);  // EOF on ours once the loader is gone
    theirs.fd = -1;
    std::string failure;
    try {
      loader::Received received = loader::receive_descriptors(ours.fd, deadline);
      run.fds = std::move(received.fds);
      run.manifest = loader::manifest_from_json(received.manifest);
    } catch (const loader::LoaderTimeout&) {
      kill(pid, SIGKILL);
      failure = "loader stopped after " + std::to_string(timeout.count()) +
                "s (the time limit for building it)";
    } catch (const std::exception& e) {
      failure = e.what();
    }
    int status = 0;
    // once it has reported, the loader only exits; a loader that went quiet
    // without reporting is killed at the deadline
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!failure.empty() && failure.find("stopped after") == std::string::npos)
      failure = how_it_ended(status) + " before reporting (" + failure + ")";
    run.failure = failure;
    run.stderr_text = loader::without_noise(memfd_text(error_log.fd, 64 * 1024));
  } catch (const std::exception& e) {
    run.failure = e.what();
  }
  if (!run.failure.empty()) {
    for (int fd : run.fds) close(fd);
    run.fds.clear();
  }
  return run;
}

}  // namespace bcc
