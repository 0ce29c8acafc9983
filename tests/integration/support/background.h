// A program the test starts and stops itself (redis-server, pmproxy,
// pmlogger): started in its own process group, stopped by its pid only.
#pragma once

#include <sys/types.h>
#include <unistd.h>

#include <string>
#include <vector>

namespace bcc::test {

class Background {
 public:
  Background() = default;
  ~Background() { stop(); }
  Background(const Background&) = delete;
  Background& operator=(const Background&) = delete;

  // Starts `argv` with standard output and error appended to `log`, extra
  // environment `env` ("NAME=value"); false (and why in `error()`) when it
  // could not be started.
  bool start(const std::vector<std::string>& argv, const std::string& log,
             const std::vector<std::string>& env = {});
  // SIGTERM, then SIGKILL after `grace_ms`; reaps it. Idempotent.
  void stop(int grace_ms = 5000);
  // Waits up to `timeout_ms` for it to exit by itself; true when it did.
  bool wait_exit(int timeout_ms);
  bool running();
  pid_t pid() const { return pid_; }
  int exit_status() const { return status_; }
  const std::string& error() const { return error_; }

 private:
  pid_t pid_ = 0;
  int status_ = -1;
  std::string error_;
};

}  // namespace bcc::test
