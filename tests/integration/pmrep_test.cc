// The shipped pmrep metric sets (:bcc-runqlat, :bcc-tcplife, ...) against
// the live agent, found by name the way an operator types them.
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <regex>
#include <thread>

#include "support/all_modules_suite.h"
#include "support/traffic.h"
#include "support/workload.h"

namespace bcc::test {
namespace {

// Runs `pmrep -t 1 -s SAMPLES SET` while `load` runs in a thread of its own,
// over and over until pmrep is done.
template <typename Load>
std::string pmrep_under_load(const std::string& set, int samples, Load load) {
  std::atomic<bool> done{false};
  std::thread worker([&] {
    while (!done) load();
  });
  std::string out = run("pmrep -t 1 -s " + std::to_string(samples) + " " + set + " 2>&1");
  done = true;
  worker.join();
  return out;
}

// Rows of a colxrow report whose last column is a number: "  0-1   12".
bool has_numeric_row(const std::string& out, const std::string& instance_pattern) {
  return std::regex_search(out, std::regex("\n *" + instance_pattern + " +[0-9.]+\n"));
}

class PmrepSets : public AllModulesSuite {
 protected:
  static void SetUpTestSuite() { install_all_modules(); }
};

TEST_F(PmrepSets, InstalledWithPmrepsOwnConfigurations) {
  std::string file = pcp_conf("PCP_SYSCONF_DIR") + "/pmrep/bcc.conf";
  std::string text = read_text(file);
  for (const char* set : {"[bcc-runqlat]", "[bcc-biolatency]", "[bcc-tcplife]", "[bcc-execsnoop]",
                          "[bcc-exitsnoop]", "[bcc-oomkill]", "[bcc-bashreadline]",
                          "[bcc-syscount]", "[bcc-netproc]", "[bcc-status]"})
    EXPECT_NE(text.find(set), std::string::npos) << set << " missing from " << file;
}

TEST_F(PmrepSets, Runqlat) {
  std::string out = pmrep_under_load(":bcc-runqlat", 3, [] { scheduler_churn(2, 50); });
  EXPECT_NE(out.find("events/s"), std::string::npos) << out;
  EXPECT_TRUE(has_numeric_row(out, "0-1")) << out;
  EXPECT_TRUE(has_numeric_row(out, "2-3")) << out;
}

TEST_F(PmrepSets, Biolatency) {
  std::string out = pmrep_under_load(":bcc-biolatency", 3, [] {
    direct_writes("/var/tmp/pmdabcc-pmrep-direct-io", 16);
  });
  EXPECT_NE(out.find("I/Os/s"), std::string::npos) << out;
  EXPECT_TRUE(has_numeric_row(out, "[0-9]+-[0-9]+")) << out;
}

TEST_F(PmrepSets, Status) {
  std::string out = run("pmrep -s 1 :bcc-status 2>&1");
  EXPECT_TRUE(std::regex_search(out, std::regex(R"(runqlat +runqlat +active)"))) << out;
  EXPECT_TRUE(std::regex_search(out, std::regex(R"(biolatency +biolatency +active)"))) << out;
  EXPECT_NE(out.find("switch=tracepoint sched:sched_switch"), std::string::npos) << out;
}

TEST_F(PmrepSets, Tcplife) {
  REQUIRE_MODULE(modules_, "tcplife");
  TcpSession session = loopback_tcp_session(5000);
  ASSERT_EQ(session.error, "");
  std::string out = run("pmrep -s 1 :bcc-tcplife 2>&1");
  EXPECT_NE(out.find("127.0.0.1"), std::string::npos) << out;
  EXPECT_NE(out.find(std::to_string(session.server_port)), std::string::npos) << out;
  EXPECT_NE(out.find("pmrep_test"), std::string::npos) << out;
}

TEST_F(PmrepSets, Execsnoop) {
  REQUIRE_MODULE(modules_, "execsnoop");
  run("/bin/echo pmdabcc-pmrep-exec-marker >/dev/null");
  std::string out = run("pmrep -s 1 :bcc-execsnoop 2>&1");
  EXPECT_NE(out.find("pmdabcc-pmrep-exec-marker"), std::string::npos) << out;
  EXPECT_NE(out.find("echo"), std::string::npos) << out;
}

TEST_F(PmrepSets, Exitsnoop) {
  REQUIRE_MODULE(modules_, "exitsnoop");
  pid_t child = fork();
  if (child == 0) {
    prctl(PR_SET_NAME, "pmrep_exit_42");
    _exit(42);
  }
  waitpid(child, nullptr, 0);
  std::string out = run("pmrep -s 1 :bcc-exitsnoop 2>&1");
  // its row: pid, parent, tid, comm, age, exit code 42
  EXPECT_TRUE(std::regex_search(
      out, std::regex(std::to_string(child) + " +" + std::to_string(getpid()) + " +" +
                      std::to_string(child) + " +pmrep_exit_42 +[0-9.]+ +42 +0 +0")))
      << out;
}

TEST_F(PmrepSets, Syscount) {
  REQUIRE_MODULE(modules_, "syscount");
  std::string out = pmrep_under_load(":bcc-syscount", 3, [] { scheduler_churn(1, 50); });
  EXPECT_NE(out.find("calls/s"), std::string::npos) << out;
  // nanosleep and futex calls of the load are counted under their names
  EXPECT_TRUE(std::regex_search(out, std::regex(R"(\n *\S*(nanosleep|futex)\S* +[0-9.]+ )"))) << out;
}

TEST_F(PmrepSets, Netproc) {
  REQUIRE_MODULE(modules_, "netproc");
  std::string out = pmrep_under_load(":bcc-netproc", 3, [] { loopback_tcp_session(100000); });
  EXPECT_NE(out.find("tcp_tx"), std::string::npos) << out;
  // one row per process, named like the proc agent's instances: "001234 /path/cmd"
  EXPECT_NE(out.find(std::to_string(getpid())), std::string::npos) << out;
}

}  // namespace
}  // namespace bcc::test
