// tcplife in the real pmcd: sessions this test makes on loopback show up
// with their process, ports and byte counts; port and process filters keep
// and drop what they should; the table keeps only the newest sessions; a
// burst far larger than a one-page perf buffer is counted as lost.
#include <unistd.h>

#include "support/agent_suite.h"
#include "support/network.h"
#include "support/wait.h"

namespace bcc::test {
namespace {

// The kernel's byte counters include SYN and FIN: N payload bytes read N to N+2.
void expect_payload(uint64_t counted, size_t payload, const char* what) {
  EXPECT_GE(counted, payload) << what;
  EXPECT_LE(counted, payload + 2) << what;
}

class Tcplife : public AgentSuite {
 protected:
  static void SetUpTestSuite() {
    watched_ = new TcpListener(AF_INET);
    other_ = new TcpListener(AF_INET);
    burst_ = new TcpListener(AF_INET);
    std::string conf = "[pmda]\nmodules = tcplife,tcplife_port,tcplife_own,tcplife_tiny\n"
                       "module_failure_fatal = False\n\n"
                       "[tcplife]\nmodule = tcplife\ncluster = 3\n\n"
                       "[tcplife_port]\nmodule = tcplife\ncluster = 103\n"
                       "prefix = bcc.port.\nsession_count = 3\ndport = " +
                       std::to_string(watched_->port()) +
                       "\n\n"
                       "[tcplife_own]\nmodule = tcplife\ncluster = 104\n"
                       "prefix = bcc.own.\nprocess = " +
                       std::to_string(getpid()) +
                       "\n\n"
                       "[tcplife_tiny]\nmodule = tcplife\ncluster = 105\n"
                       "prefix = bcc.tiny.\nbuffer_page_count = 1\ndport = " +
                       std::to_string(burst_->port()) + "\n";
    install_for_suite(conf);
  }
  static void TearDownTestSuite() {
    remove_for_suite();
    delete watched_;
    delete other_;
    delete burst_;
  }
  void check_fixtures() override {
    ASSERT_TRUE(watched_->fd() >= 0 && other_->fd() >= 0 && burst_->fd() >= 0);
  }

  // The instance of `prefix`'s table whose local port is `lport`, or "".
  std::string instance_with_lport(const std::string& prefix, uint16_t lport) {
    for (const auto& [inst, port] : pcp_.numbers(prefix + "proc.io.net.tcp.lport"))
      if (port == lport) return inst;
    return "";
  }

  static inline TcpListener* watched_ = nullptr;  // the port tcplife_port follows
  static inline TcpListener* other_ = nullptr;
  static inline TcpListener* burst_ = nullptr;    // the port tcplife_tiny follows
};

TEST_F(Tcplife, NewestSessionShowsProcessPortsAndBytes) {
  TcpSession s = tcp_exchange(*watched_, 1000, 3000);
  ASSERT_EQ(s.error, "");
  const std::string p = "bcc.port.proc.io.net.tcp.";
  ASSERT_TRUE(wait_until([&] { return pcp_.numbers(p + "lport")["0"] == s.client_port; }))
      << "instance 0 has lport " << pcp_.numbers(p + "lport")["0"] << ", expected "
      << s.client_port;
  EXPECT_EQ(pcp_.numbers(p + "pid")["0"], static_cast<uint64_t>(getpid()));
  EXPECT_EQ(pcp_.strings(p + "comm")["0"], "tcplife_test");
  EXPECT_EQ(pcp_.numbers(p + "dport")["0"], s.server_port);
  EXPECT_EQ(pcp_.strings(p + "laddr")["0"], "127.0.0.1");
  EXPECT_EQ(pcp_.strings(p + "daddr")["0"], "127.0.0.1");
  expect_payload(pcp_.numbers(p + "tx")["0"], 1000, "tx");
  expect_payload(pcp_.numbers(p + "rx")["0"], 3000, "rx");
  EXPECT_GT(pcp_.numbers(p + "duration")["0"], 0u);
}

TEST_F(Tcplife, Ipv6SessionsAndBothSidesInTheUnfilteredTable) {
  TcpListener v6(AF_INET6);
  ASSERT_GE(v6.fd(), 0);
  TcpSession s = tcp_exchange(v6, 200, 100);
  ASSERT_EQ(s.error, "");
  std::string client, server;
  ASSERT_TRUE(wait_until([&] {
    client = instance_with_lport("bcc.", s.client_port);
    server = instance_with_lport("bcc.", s.server_port);
    return !client.empty() && !server.empty();
  }));
  const std::string p = "bcc.proc.io.net.tcp.";
  EXPECT_EQ(pcp_.strings(p + "laddr")[client], "::1");
  EXPECT_EQ(pcp_.strings(p + "daddr")[client], "::1");
  EXPECT_EQ(pcp_.numbers(p + "dport")[client], s.server_port);
  EXPECT_EQ(pcp_.numbers(p + "pid")[client], static_cast<uint64_t>(getpid()));
  expect_payload(pcp_.numbers(p + "tx")[client], 200, "client tx");
  expect_payload(pcp_.numbers(p + "rx")[client], 100, "client rx");
  // the server's side of the same session: the bytes the other way round
  EXPECT_EQ(pcp_.numbers(p + "dport")[server], s.client_port);
  expect_payload(pcp_.numbers(p + "tx")[server], 100, "server tx");
  expect_payload(pcp_.numbers(p + "rx")[server], 200, "server rx");
}

TEST_F(Tcplife, DportFilterDropsOtherPorts) {
  TcpSession kept = tcp_exchange(*watched_, 10, 10);
  TcpSession dropped = tcp_exchange(*other_, 10, 10);
  ASSERT_EQ(kept.error, "");
  ASSERT_EQ(dropped.error, "");
  // the unfiltered table sees both; by then the filtered one has had its chance
  ASSERT_TRUE(wait_until([&] {
    return !instance_with_lport("bcc.", kept.client_port).empty() &&
           !instance_with_lport("bcc.", dropped.client_port).empty();
  }));
  EXPECT_NE(instance_with_lport("bcc.port.", kept.client_port), "");
  EXPECT_EQ(instance_with_lport("bcc.port.", dropped.client_port), "");
  for (const auto& [inst, dport] : pcp_.numbers("bcc.port.proc.io.net.tcp.dport"))
    EXPECT_EQ(dport, watched_->port()) << "instance " << inst;
}

TEST_F(Tcplife, ProcessFilterKeepsOnlyThisProcess) {
  // a session of another process: bash's /dev/tcp client
  std::string command = "bash -c 'exec 3<>/dev/tcp/127.0.0.1/" +
                        std::to_string(other_->port()) + "; echo hello >&3; exec 3>&-' &";
  int status = 0;
  run(command, &status);
  ASSERT_EQ(status, 0);
  int server = accept(other_->fd(), nullptr, nullptr);
  ASSERT_GE(server, 0);
  char buffer[16];
  while (read(server, buffer, sizeof(buffer)) > 0) {
  }
  close(server);
  TcpSession own = tcp_exchange(*other_, 10, 10);
  ASSERT_EQ(own.error, "");

  // bash's session is in the unfiltered table, with its comm
  const std::string p = "bcc.proc.io.net.tcp.";
  uint16_t bash_port = 0;
  ASSERT_TRUE(wait_until([&] {
    for (const auto& [inst, comm] : pcp_.strings(p + "comm"))
      if (comm == "bash" && pcp_.numbers(p + "dport")[inst] == other_->port())
        bash_port = static_cast<uint16_t>(pcp_.numbers(p + "lport")[inst]);
    return bash_port != 0;
  })) << "no session of bash in bcc.proc.io.net.tcp";
  ASSERT_TRUE(wait_until([&] { return !instance_with_lport("bcc.own.", own.client_port).empty(); }));
  EXPECT_EQ(instance_with_lport("bcc.own.", bash_port), "") << "bash's session was not filtered out";
  for (const auto& [inst, pid] : pcp_.numbers("bcc.own.proc.io.net.tcp.pid"))
    EXPECT_EQ(pid, static_cast<uint64_t>(getpid())) << "instance " << inst;
  for (const auto& [inst, comm] : pcp_.strings("bcc.own.proc.io.net.tcp.comm"))
    EXPECT_EQ(comm, "tcplife_test") << "instance " << inst;
}

TEST_F(Tcplife, KeepsOnlyTheNewestSessionCount) {
  std::vector<TcpSession> sessions;
  for (int i = 0; i < 5; i++) {
    sessions.push_back(tcp_exchange(*watched_, 1, 1));
    ASSERT_EQ(sessions.back().error, "");
  }
  const std::string lport = "bcc.port.proc.io.net.tcp.lport";
  ASSERT_TRUE(wait_until([&] { return pcp_.numbers(lport)["0"] == sessions[4].client_port; }));
  auto ports = pcp_.numbers(lport);
  EXPECT_EQ(ports.size(), 3u);  // session_count = 3
  EXPECT_EQ(ports["1"], sessions[3].client_port);
  EXPECT_EQ(ports["2"], sessions[2].client_port);
}

TEST_F(Tcplife, BurstBeyondATinyBufferCountsLostEvents) {
  int pid = agent_->pid();
  uint64_t before = pcp_.numbers("bcc.pmda.module.lost_events")["tcplife_tiny"];
  // bursts until the one-page buffer overflows: how many it takes depends on
  // how fast the reader thread gets a CPU (bounded: 60 bursts at most)
  auto lost = [&] { return pcp_.numbers("bcc.pmda.module.lost_events")["tcplife_tiny"]; };
  for (int round = 0; round < 60 && lost() == before; round++)
    ASSERT_EQ(tcp_abort_burst(*burst_, 400), "");
  ASSERT_TRUE(wait_until([&] { return lost() > before; }))
      << "no lost events counted after up to 48000 sessions through a one-page buffer";
  EXPECT_EQ(agent_->pid(), pid) << "the agent restarted";
  // logged once, with the reason; every later loss only counted
  ASSERT_EQ(tcp_abort_burst(*burst_, 400), "");
  std::string log = agent_->log();
  const std::string logged = "module [tcplife_tiny]: perf buffer full";
  EXPECT_NE(log.find(logged), std::string::npos) << log;
  EXPECT_EQ(log.find(logged), log.rfind(logged)) << log;
  EXPECT_EQ(pcp_.strings("bcc.pmda.module.state")["tcplife_tiny"], "active");
  EXPECT_EQ(pcp_.numbers("bcc.pmda.module.lost_events")["tcplife_port"], 0u);
  // what did arrive is still served
  EXPECT_FALSE(pcp_.numbers("bcc.tiny.proc.io.net.tcp.pid").empty());
}

TEST_F(Tcplife, StatusNamesTheTracepoint) {
  auto probes = pcp_.strings("bcc.pmda.module.probes");
  EXPECT_EQ(probes["tcplife"], "state=tracepoint sock:inet_sock_set_state");
  for (const char* m : {"tcplife", "tcplife_port", "tcplife_own", "tcplife_tiny"})
    EXPECT_EQ(pcp_.strings("bcc.pmda.module.state")[m], "active")
        << m << ": " << pcp_.strings("bcc.pmda.module.reason")[m];
}

}  // namespace
}  // namespace bcc::test
