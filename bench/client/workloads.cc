#include "workloads.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <sys/socket.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace bench {

namespace {

double ns_since(Clock::time_point start, uint64_t events) {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count();
  return static_cast<double>(ns) / static_cast<double>(events);
}

void pin_to_cpu(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

void check(bool ok, const std::string& what) {
  if (!ok) throw std::runtime_error(what);
}

}  // namespace

double ns_per_getpid(uint64_t iterations) {
  for (int i = 0; i < 1000; i++) syscall(SYS_getpid);  // warm up
  auto start = Clock::now();
  for (uint64_t i = 0; i < iterations; i++) syscall(SYS_getpid);
  return ns_since(start, iterations);
}

double ns_per_context_switch(uint64_t round_trips) {
  int ping[2], pong[2];
  check(pipe(ping) == 0 && pipe(pong) == 0, "pipe");
  std::thread echo([&] {
    pin_to_cpu(0);
    char byte;
    for (uint64_t i = 0; i < round_trips; i++) {
      if (read(ping[0], &byte, 1) != 1 || write(pong[1], &byte, 1) != 1) break;
    }
  });
  pin_to_cpu(0);
  char byte = 'x';
  auto start = Clock::now();
  for (uint64_t i = 0; i < round_trips; i++) {
    if (write(ping[1], &byte, 1) != 1 || read(pong[0], &byte, 1) != 1) break;
  }
  double ns = ns_since(start, round_trips * 2);
  echo.join();
  for (int fd : {ping[0], ping[1], pong[0], pong[1]}) close(fd);
  return ns;
}

namespace {

// A listener on 127.0.0.1 (a port of the kernel's choosing) and the
// connections made to it, each reset on close so that no TIME_WAIT piles up.
class LoopbackListener {
 public:
  LoopbackListener() {
    listener_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    check(listener_ >= 0, "socket");
    addr_.sin_family = AF_INET;
    addr_.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr_);
    check(bind(listener_, reinterpret_cast<sockaddr*>(&addr_), len) == 0 &&
              getsockname(listener_, reinterpret_cast<sockaddr*>(&addr_), &len) == 0 &&
              listen(listener_, 16) == 0,
          "listen on 127.0.0.1");
  }
  ~LoopbackListener() { close(listener_); }

  // connect, accept, close both ends
  void connection() {
    int client = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    check(client >= 0, "socket");
    check(connect(client, reinterpret_cast<sockaddr*>(&addr_), sizeof(addr_)) == 0, "connect");
    int server = accept(listener_, nullptr, nullptr);
    check(server >= 0, "accept");
    linger reset{1, 0};
    setsockopt(client, SOL_SOCKET, SO_LINGER, &reset, sizeof(reset));
    close(client);
    close(server);
  }

 private:
  int listener_ = -1;
  sockaddr_in addr_{};
};

}  // namespace

double ns_per_tcp_connection(uint64_t connections) {
  LoopbackListener loopback;
  auto start = Clock::now();
  for (uint64_t i = 0; i < connections; i++) loopback.connection();
  return ns_since(start, connections);
}

uint64_t getpid_storm(Clock::time_point until, uint64_t limit) {
  uint64_t done = 0;
  while (done < limit && Clock::now() < until)
    for (int i = 0; i < 4096; i++, done++) syscall(SYS_getpid);
  return done;
}

uint64_t exec_storm(Clock::time_point until, uint64_t limit, int args) {
  std::vector<std::string> words(static_cast<size_t>(args) + 1, "argument");
  words[0] = "/bin/true";
  std::vector<char*> argv;
  for (std::string& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  uint64_t done = 0;
  for (; done < limit && Clock::now() < until; done++) {
    pid_t child = 0;
    int err = posix_spawn(&child, argv[0], nullptr, nullptr, argv.data(), environ);
    check(err == 0, "posix_spawn /bin/true");
    int status = 0;
    waitpid(child, &status, 0);
  }
  return done;
}

uint64_t tcp_storm(Clock::time_point until, uint64_t limit) {
  LoopbackListener loopback;
  uint64_t done = 0;
  for (; done < limit && Clock::now() < until; done++) loopback.connection();
  return done;
}

}  // namespace bench
