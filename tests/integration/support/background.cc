#include "support/background.h"
#include "support/wait.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace bcc::test {

bool Background::start(const std::vector<std::string>& argv, const std::string& log,
                       const std::vector<std::string>& env) {
  stop();
  error_.clear();
  status_ = -1;
  int out = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (out < 0) {
    error_ = "open " + log + ": " + strerror(errno);
    return false;
  }
  // The exec error, if any, comes back through a close-on-exec pipe.
  int report[2];
  if (pipe2(report, O_CLOEXEC) != 0) {
    close(out);
    error_ = std::string("pipe: ") + strerror(errno);
    return false;
  }
  pid_t pid = fork();
  if (pid == 0) {
    setpgid(0, 0);
    dup2(out, STDOUT_FILENO);
    dup2(out, STDERR_FILENO);
    int null = open("/dev/null", O_RDONLY);
    dup2(null, STDIN_FILENO);
    for (const std::string& e : env) putenv(strdup(e.c_str()));
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    int e = errno;
    (void)!write(report[1], &e, sizeof e);
    _exit(127);
  }
  close(out);
  close(report[1]);
  if (pid < 0) {
    close(report[0]);
    error_ = std::string("fork: ") + strerror(errno);
    return false;
  }
  int exec_errno = 0;
  ssize_t n = read(report[0], &exec_errno, sizeof exec_errno);
  close(report[0]);
  pid_ = pid;
  if (n == sizeof exec_errno) {
    error_ = "cannot run " + argv[0] + ": " + strerror(exec_errno);
    wait_exit(1000);
    return false;
  }
  return true;
}

bool Background::running() {
  if (pid_ == 0) return false;
  int st = 0;
  pid_t r = waitpid(pid_, &st, WNOHANG);
  if (r == pid_) {
    status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    pid_ = 0;
    return false;
  }
  return true;
}

bool Background::wait_exit(int timeout_ms) {
  return wait_until([this] { return !running(); }, timeout_ms / 1000.0);
}

void Background::stop(int grace_ms) {
  if (!running()) return;
  kill(pid_, SIGTERM);
  if (wait_exit(grace_ms)) return;
  kill(pid_, SIGKILL);
  wait_exit(2000);
}

}  // namespace bcc::test
