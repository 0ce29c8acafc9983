#include "workloads.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

namespace bench {

namespace {

using Clock = std::chrono::steady_clock;

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

double ns_per_tcp_connection(uint64_t connections) {
  int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  check(listener >= 0, "socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  check(bind(listener, reinterpret_cast<sockaddr*>(&addr), len) == 0 &&
            getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) == 0 &&
            listen(listener, 16) == 0,
        "listen on 127.0.0.1");
  linger reset{1, 0};
  auto start = Clock::now();
  for (uint64_t i = 0; i < connections; i++) {
    int client = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    check(client >= 0, "socket");
    check(connect(client, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0, "connect");
    int server = accept(listener, nullptr, nullptr);
    check(server >= 0, "accept");
    setsockopt(client, SOL_SOCKET, SO_LINGER, &reset, sizeof(reset));
    close(client);
    close(server);
  }
  double ns = ns_since(start, connections);
  close(listener);
  return ns;
}

}  // namespace bench
