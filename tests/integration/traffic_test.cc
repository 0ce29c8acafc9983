// netproc, tcpperpid and tcptop in the real pmcd: bytes and calls this
// process sends and receives on loopback show up in its own instances; a
// short-lived client that exited before the agent was asked shows its exact
// totals, and leaves netproc once its grace period (4 s here) is over.
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "support/agent_suite.h"
#include "support/network.h"
#include "support/processes.h"
#include "support/wait.h"

namespace bcc::test {
namespace {

class Traffic : public AgentSuite {
 protected:
  static void SetUpTestSuite() {
    watched_ = new TcpListener(AF_INET);
    other_ = new TcpListener(AF_INET);
    std::string conf =
        "[pmda]\nmodules = netproc,tcpperpid,tcpperpid_port,tcptop\n"
        "module_failure_fatal = False\n\n"
        "[netproc]\nmodule = netproc\ncluster = 40\nexited_grace = 4\n\n"
        "[tcpperpid]\nmodule = tcpperpid\ncluster = 11\n\n"
        "[tcpperpid_port]\nmodule = tcpperpid\ncluster = 111\nprefix = bcc.port.\ndport = " +
        std::to_string(watched_->port()) +
        "\n\n"
        "[tcptop]\nmodule = tcptop\ncluster = 12\ninterval = 2\nprocess = " +
        std::to_string(getpid()) + "\n";
    install_for_suite(conf);
  }
  static void TearDownTestSuite() {
    remove_for_suite();
    delete watched_;
    delete other_;
  }

  // A process's value of a netproc metric, its instance being "001234
  // /path/cmd", or "001234" for a process that exited before it was first
  // seen (0 before it is seen and after it is gone).
  uint64_t of_process(const std::string& metric, pid_t pid) {
    for (const auto& [inst, value] : pcp_.numbers(metric))
      if (inst == padded_pid(pid) || inst.rfind(padded_pid(pid) + " ", 0) == 0) return value;
    return 0;
  }
  bool has_instance(const std::string& metric, pid_t pid) {
    for (const auto& [inst, value] : pcp_.numbers(metric))
      if (inst == padded_pid(pid) || inst.rfind(padded_pid(pid) + " ", 0) == 0) return true;
    return false;
  }
  uint64_t own(const std::string& metric) { return of_process(metric, getpid()); }

  static inline TcpListener* watched_ = nullptr;
  static inline TcpListener* other_ = nullptr;
};

TEST_F(Traffic, NetprocCountsTcpCallsAndBytesOfThisProcess) {
  uint64_t sent = own("bcc.proc.net.tcp.send.bytes");
  uint64_t received = own("bcc.proc.net.tcp.recv.bytes");
  uint64_t send_calls = own("bcc.proc.net.tcp.send.calls");
  uint64_t recv_calls = own("bcc.proc.net.tcp.recv.calls");
  ASSERT_EQ(tcp_exchange(*other_, 1000, 3000).error, "");
  // the client wrote 1000 bytes in one call, the server 3000 in another
  EXPECT_EQ(own("bcc.proc.net.tcp.send.bytes") - sent, 4000u);
  EXPECT_EQ(own("bcc.proc.net.tcp.send.calls") - send_calls, 2u);
  EXPECT_EQ(own("bcc.proc.net.tcp.recv.bytes") - received, 4000u);
  EXPECT_GE(own("bcc.proc.net.tcp.recv.calls") - recv_calls, 2u);
}

TEST_F(Traffic, NetprocCountsUdpCallsAndBytesOfThisProcess) {
  uint64_t sent = own("bcc.proc.net.udp.send.bytes");
  uint64_t received = own("bcc.proc.net.udp.recv.bytes");
  uint64_t send_calls = own("bcc.proc.net.udp.send.calls");
  uint64_t recv_calls = own("bcc.proc.net.udp.recv.calls");
  ASSERT_EQ(udp_exchange(100, 10), "");
  EXPECT_EQ(own("bcc.proc.net.udp.send.bytes") - sent, 1000u);
  EXPECT_EQ(own("bcc.proc.net.udp.send.calls") - send_calls, 10u);
  EXPECT_EQ(own("bcc.proc.net.udp.recv.bytes") - received, 1000u);
  EXPECT_EQ(own("bcc.proc.net.udp.recv.calls") - recv_calls, 10u);
}

TEST_F(Traffic, NetprocInstanceIdIsThePid) {
  ASSERT_EQ(udp_exchange(10, 1), "");
  std::string out = run("pminfo -f bcc.proc.net.udp.send.calls");
  std::string expected = "inst [" + std::to_string(getpid()) + " or \"" + padded_pid(getpid()) + " ";
  EXPECT_NE(out.find(expected), std::string::npos) << out;
}

TEST_F(Traffic, AShortLivedClientShowsItsExactTotalsAfterItExited) {
  const size_t bytes = 3000;
  ShortClient client = short_lived_tcp_client(*other_, bytes);
  ASSERT_EQ(client.error, "");
  ASSERT_FALSE(running(client.pid));
  // the first fetch since the client ran: it is gone, its totals are not
  EXPECT_EQ(of_process("bcc.proc.net.tcp.send.bytes", client.pid), bytes) << client.pid;
  EXPECT_EQ(of_process("bcc.proc.net.tcp.send.calls", client.pid), 1u) << client.pid;
  EXPECT_EQ(of_process("bcc.proc.net.tcp.recv.bytes", client.pid), 0u) << client.pid;
  EXPECT_EQ(pcp_.numbers("bcc.proc.io.net.total.tx")[padded_pid(client.pid)], bytes);
  EXPECT_EQ(pcp_.numbers("bcc.proc.io.net.total.rx")[padded_pid(client.pid)], 0u);
  // the instance id is still the pid
  std::string out = run("pminfo -f bcc.proc.net.tcp.send.bytes");
  EXPECT_NE(out.find("inst [" + std::to_string(client.pid) + " or \"" + padded_pid(client.pid)),
            std::string::npos)
      << out;
}

TEST_F(Traffic, NetprocForgetsAProcessThatExitedOnceItsGraceIsOver) {
  int go[2], ready[2];
  ASSERT_EQ(pipe(go), 0);
  ASSERT_EQ(pipe(ready), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    char c = udp_exchange(64, 3).empty() ? 'y' : 'n';
    if (write(ready[1], &c, 1) != 1) _exit(2);
    if (read(go[0], &c, 1) < 0) _exit(3);  // wait until the parent has looked
    _exit(0);
  }
  char answer = 0;
  ASSERT_EQ(read(ready[0], &answer, 1), 1);
  ASSERT_EQ(answer, 'y');
  const std::string metric = "bcc.proc.net.udp.send.bytes";
  EXPECT_EQ(of_process(metric, child), 192u);
  ASSERT_EQ(write(go[1], "x", 1), 1);
  int status = 0;
  waitpid(child, &status, 0);
  for (int fd : {go[0], go[1], ready[0], ready[1]}) close(fd);
  // noticed at this fetch, kept with its final totals for exited_grace = 4 s
  auto noticed = std::chrono::steady_clock::now();
  EXPECT_EQ(of_process(metric, child), 192u) << "the exited process lost its totals";
  sleep(2);
  EXPECT_EQ(of_process(metric, child), 192u) << "the exited process lost its totals";
  ASSERT_TRUE(wait_until([&] { return !has_instance(metric, child); }, 10))
      << "pid " << child << " kept past its grace";
  EXPECT_GE(std::chrono::steady_clock::now() - noticed, std::chrono::seconds(4));
}

TEST_F(Traffic, TcpperpidCountsBytesOfThisProcess) {
  const std::string tx = "bcc.proc.io.net.total.tx", rx = "bcc.proc.io.net.total.rx";
  uint64_t tx0 = pcp_.numbers(tx)[padded_pid(getpid())];
  uint64_t rx0 = pcp_.numbers(rx)[padded_pid(getpid())];
  ASSERT_EQ(tcp_exchange(*other_, 1500, 2500).error, "");
  EXPECT_EQ(pcp_.numbers(tx)[padded_pid(getpid())] - tx0, 4000u);
  EXPECT_EQ(pcp_.numbers(rx)[padded_pid(getpid())] - rx0, 4000u);
}

TEST_F(Traffic, TcpperpidDportFilterCountsOnlyThatPort) {
  const std::string tx = "bcc.port.proc.io.net.total.tx", rx = "bcc.port.proc.io.net.total.rx";
  uint64_t tx0 = pcp_.numbers(tx)[padded_pid(getpid())];
  uint64_t rx0 = pcp_.numbers(rx)[padded_pid(getpid())];
  ASSERT_EQ(tcp_exchange(*other_, 500, 500).error, "");     // not followed
  ASSERT_EQ(tcp_exchange(*watched_, 1000, 3000).error, "");  // only the client's socket
  EXPECT_EQ(pcp_.numbers(tx)[padded_pid(getpid())] - tx0, 1000u);
  EXPECT_EQ(pcp_.numbers(rx)[padded_pid(getpid())] - rx0, 3000u);
}

TEST_F(Traffic, TcptopShowsThisProcessConnectionsOfTheLastInterval) {
  // start just after an interval boundary (2 s) so the exchange lies in one interval
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  double into = (now.tv_sec % 2) + now.tv_nsec / 1e9;
  std::this_thread::sleep_for(std::chrono::duration<double>(2.05 - into));
  TcpSession s = tcp_exchange(*other_, 5000, 7000);
  ASSERT_EQ(s.error, "");
  const std::string p = "bcc.proc.io.net.tcptop.";
  std::string client, server;
  ASSERT_TRUE(wait_until([&] {
    for (const auto& [inst, port] : pcp_.numbers(p + "lport")) {
      if (port == s.client_port) client = inst;
      if (port == s.server_port && pcp_.numbers(p + "dport")[inst] == s.client_port) server = inst;
    }
    return !client.empty() && !server.empty();
  }, 6)) << "the connection did not show up";
  // one fetch per metric: all within the same reported interval
  EXPECT_EQ(pcp_.numbers(p + "tx")[client], 5000u);
  EXPECT_EQ(pcp_.numbers(p + "rx")[client], 7000u);
  EXPECT_EQ(pcp_.numbers(p + "tx")[server], 7000u);
  EXPECT_EQ(pcp_.numbers(p + "rx")[server], 5000u);
  EXPECT_EQ(pcp_.numbers(p + "pid")[client], static_cast<uint64_t>(getpid()));
  EXPECT_EQ(pcp_.strings(p + "comm")[client], "traffic_test");
  EXPECT_EQ(pcp_.strings(p + "laddr")[client], "127.0.0.1");
  EXPECT_EQ(pcp_.strings(p + "daddr")[client], "127.0.0.1");
  EXPECT_EQ(pcp_.numbers(p + "dport")[client], s.server_port);
  // the process filter: only this process's connections
  for (const auto& [inst, pid] : pcp_.numbers(p + "pid"))
    EXPECT_EQ(pid, static_cast<uint64_t>(getpid())) << "instance " << inst;
}

TEST_F(Traffic, StatusNamesTheTracepoints) {
  auto probes = pcp_.strings("bcc.pmda.module.probes");
  for (const char* m : {"netproc", "tcpperpid", "tcptop"}) {
    EXPECT_EQ(probes[m], "send=tracepoint sock:sock_send_length, recv=tracepoint "
                         "sock:sock_recv_length")
        << m;
    EXPECT_EQ(pcp_.strings("bcc.pmda.module.state")[m], "active") << m;
  }
}

}  // namespace
}  // namespace bcc::test
