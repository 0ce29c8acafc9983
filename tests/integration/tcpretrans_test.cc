// tcpretrans in the real pmcd: a flow whose packets a firewall rule drops
// for a moment retransmits, and its counter shows at least as many
// retransmissions as the kernel counted for the socket (less the runs the
// kernel skipped, which the agent exports). The traffic runs in
// a network namespace of its own, which goes away with its rule when the
// child process that made it exits.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "support/agent_suite.h"
#include "support/kernel_features.h"
#include "support/network.h"

namespace bcc::test {
namespace {

struct Retransmitted {
  uint16_t client_port = 0;
  uint16_t server_port = 0;
  uint32_t retransmits = 0;  // the kernel's own count for the client socket
  char error[200] = "";
};

// Runs in the child, in its new network namespace: the client sends while
// everything to the server's port is dropped, then the rule goes.
void lossy_connection(Retransmitted& r) {
  if (unshare(CLONE_NEWNET) != 0) return (void)snprintf(r.error, sizeof(r.error), "unshare failed");
  if (system("ip link set lo up") != 0)
    return (void)snprintf(r.error, sizeof(r.error), "ip link set lo up failed");
  TcpListener listener(AF_INET);
  TcpPair pair = tcp_connect(listener);
  if (!pair.error.empty()) return (void)snprintf(r.error, sizeof(r.error), "%s", pair.error.c_str());
  r.client_port = pair.client_port;
  r.server_port = listener.port();
  std::string drop =
      "nft add table inet pmdabcc_test && nft add chain inet pmdabcc_test input "
      "'{ type filter hook input priority 0; }' && nft add rule inet pmdabcc_test input tcp "
      "dport " +
      std::to_string(r.server_port) + " drop";
  if (system(drop.c_str()) != 0)
    return (void)snprintf(r.error, sizeof(r.error), "nft rule failed (is nftables installed?)");
  bool sent = send_bytes(pair.client, 1000);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  if (system("nft delete table inet pmdabcc_test") != 0)
    return (void)snprintf(r.error, sizeof(r.error), "removing the nft rule failed");
  if (!sent || !receive_bytes(pair.server, 1000))
    return (void)snprintf(r.error, sizeof(r.error), "the data did not get through");
  tcp_info info{};
  socklen_t len = sizeof(info);
  getsockopt(pair.client, IPPROTO_TCP, TCP_INFO, &info, &len);
  r.retransmits = info.tcpi_total_retrans;
  pair.close_both();
}

Retransmitted in_a_new_namespace() {
  Retransmitted result;
  int channel[2];
  if (pipe(channel) != 0) return result;
  pid_t child = fork();
  if (child == 0) {
    Retransmitted r;
    lossy_connection(r);
    _exit(write(channel[1], &r, sizeof(r)) == sizeof(r) ? 0 : 1);
  }
  close(channel[1]);
  if (child < 0 || read(channel[0], &result, sizeof(result)) != sizeof(result))
    snprintf(result.error, sizeof(result.error), "no answer from the child");
  close(channel[0]);
  if (child > 0) waitpid(child, nullptr, 0);
  return result;
}

class Tcpretrans : public AgentSuite {
 protected:
  static void SetUpTestSuite() {
    install_for_suite(
        "[pmda]\nmodules = tcpretrans,tcpretrans_tlp\nmodule_failure_fatal = False\n\n"
        "[tcpretrans]\nmodule = tcpretrans\ncluster = 9\n\n"
        "[tcpretrans_tlp]\nmodule = tcpretrans\ncluster = 109\nprefix = bcc.tlp.\n"
        "include_tlp = True\n");
  }
};

TEST_F(Tcpretrans, DroppedPacketsAreCountedOnTheirFlow) {
  Retransmitted r = in_a_new_namespace();
  ASSERT_STREQ(r.error, "");
  ASSERT_GT(r.retransmits, 0u) << "the kernel retransmitted nothing: the drop did not work";
  std::string flow = "127.0.0.1:" + std::to_string(r.client_port) +
                     "::127.0.0.1:" + std::to_string(r.server_port);
  auto counts = pcp_.numbers("bcc.io.net.tcp.retrans.count");
  ASSERT_TRUE(counts.count(flow)) << "no instance " << flow;
  // The tracepoint fires for every attempt, failed ones too, so the count is
  // at least the kernel's; the kernel skips the program when it interrupts
  // another BPF program on that CPU, and says so in bcc.pmda.prog.missed.
  uint64_t missed =
      pcp_.numbers("bcc.pmda.prog.missed")["tcpretrans::tracepoint__tcp__tcp_retransmit_skb"];
  EXPECT_GE(counts[flow] + missed, r.retransmits) << "counted " << counts[flow] << ", missed "
                                                  << missed << ", kernel " << r.retransmits;
}

TEST_F(Tcpretrans, StatusNamesTheTracepoint) {
  EXPECT_EQ(pcp_.strings("bcc.pmda.module.probes")["tcpretrans"],
            "retransmit=tracepoint tcp:tcp_retransmit_skb");
  EXPECT_EQ(pcp_.strings("bcc.pmda.module.state")["tcpretrans"], "active");
}

TEST_F(Tcpretrans, IncludeTlpFailsClearlyWithoutKprobes) {
  if (kernel_has_kprobes()) GTEST_SKIP() << "this kernel has kprobes: see CountsTailLossProbes";
  EXPECT_EQ(pcp_.strings("bcc.pmda.module.state")["tcpretrans_tlp"], "failed");
  std::string reason = pcp_.strings("bcc.pmda.module.reason")["tcpretrans_tlp"];
  EXPECT_NE(reason.find("tcp_send_loss_probe"), std::string::npos) << reason;
}

TEST_F(Tcpretrans, CountsTailLossProbes) {
  if (!kernel_has_kprobes())
    GTEST_SKIP() << "include_tlp needs kprobe tcp_send_loss_probe: this kernel has no kprobes "
                    "(no kprobe_events in tracefs)";
  EXPECT_EQ(pcp_.strings("bcc.pmda.module.state")["tcpretrans_tlp"], "active");
  Retransmitted r = in_a_new_namespace();
  ASSERT_STREQ(r.error, "");
  std::string flow = "127.0.0.1:" + std::to_string(r.client_port) +
                     "::127.0.0.1:" + std::to_string(r.server_port);
  EXPECT_GE(pcp_.numbers("bcc.tlp.io.net.tcp.retrans.count")[flow], r.retransmits);
}

}  // namespace
}  // namespace bcc::test
