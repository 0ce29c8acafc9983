// Nothing of ours stays in the kernel: after SIGKILL (the kernel releases
// what the process held) and pmcd restarting the agent, after 20 restarts in
// a row, after ./Remove (programs, maps, links, tracepoint and uprobe
// attachments), and when the kernel refuses one module's program the
// others serve.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "support/installed_agent.h"
#include "support/pcp_client.h"
#include "support/workload.h"

namespace bcc::test {
namespace {

const char* kConf = R"([pmda]
modules = runqlat,biolatency
module_failure_fatal = False

[runqlat]
module = runqlat
cluster = 4

[biolatency]
module = biolatency
cluster = 0
)";

bool running(int pid) {
  std::string stat = run("cat /proc/" + std::to_string(pid) + "/stat 2>/dev/null");
  size_t paren = stat.rfind(')');
  return paren != std::string::npos && stat.compare(paren + 2, 1, "Z") != 0;
}

void stop(int pid, int sig) {
  ASSERT_GT(pid, 0) << "no agent process";  // kill(0, ...) would hit the test itself
  ASSERT_EQ(kill(pid, sig), 0);
  for (int i = 0; i < 100 && running(pid); i++)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_FALSE(running(pid));
}

int pmcd_pid() { return std::stoi(run("pgrep -x pmcd | head -1")); }

// The numbers after `key` ("prog_id 42", "map_ids 7,9") in `text`.
std::set<std::string> ids_after(const std::string& text, const std::string& key) {
  std::set<std::string> ids;
  std::regex pattern(key + " ([0-9,]+)");
  for (std::sregex_iterator it(text.begin(), text.end(), pattern), end; it != end; ++it) {
    std::istringstream list((*it)[1].str());
    for (std::string id; std::getline(list, id, ',');) ids.insert(id);
  }
  return ids;
}

// The programs a process has attached through perf events (tracepoints,
// uprobes, kprobes, perf events), one line each, from bpftool.
std::string perf_attachments(int pid) {
  return run("bpftool perf show 2>/dev/null | grep '^pid " + std::to_string(pid) + " ' || true");
}

// Those of `ids` that the kernel still has as `object` ("prog", "map").
std::set<std::string> still_loaded(const std::string& object, const std::set<std::string>& ids) {
  std::set<std::string> left;
  for (const std::string& id : ids) {
    int status = 0;
    run("bpftool " + object + " show id " + id + " >/dev/null 2>&1", &status);
    if (status == 0) left.insert(id);
  }
  return left;
}

class Lifecycle : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string unavailable = integration_unavailable();
    if (!unavailable.empty()) GTEST_SKIP() << unavailable;
    agent_ = std::make_unique<InstalledAgent>();
  }
  std::unique_ptr<InstalledAgent> agent_;
  PcpClient pcp_;
};

TEST_F(Lifecycle, SigkillReleasesEverythingAndPmcdRestartsTheAgent) {
  ASSERT_TRUE(agent_->install(kConf)) << agent_->log();
  KernelObjects with_agent = settled_kernel_objects();
  ASSERT_NE(loaded_programs(), "");
  stop(agent_->pid(), SIGKILL);
  EXPECT_EQ(programs_after_release(), "");
  ASSERT_TRUE(agent_->restart_exited()) << agent_->log();
  EXPECT_EQ(settled_kernel_objects(), with_agent);
  uint64_t before = pcp_.total("bcc.runq.latency");
  scheduler_churn(2, 100);
  EXPECT_GT(pcp_.total("bcc.runq.latency"), before);
}

TEST_F(Lifecycle, TwentyRestartsLeakNoDescriptorsOrKernelObjects) {
  ASSERT_TRUE(agent_->install(kConf)) << agent_->log();
  KernelObjects baseline = settled_kernel_objects();
  int pmcd_fds = open_fds(pmcd_pid());
  int agent_fds = open_fds(agent_->pid());
  // ./Install stops the running agent (SIGTERM) and pmcd starts a new one;
  // pmcd's own restart of an agent that exited is rate-limited to about one
  // a minute, too slow to repeat 20 times here (SigkillReleases... uses it)
  for (int i = 0; i < 20; i++) {
    int old = agent_->pid();
    ASSERT_TRUE(agent_->install(kConf)) << "restart " << i << "\n" << agent_->log();
    ASSERT_NE(agent_->pid(), old) << "restart " << i;
  }
  EXPECT_EQ(settled_kernel_objects(), baseline);
  EXPECT_EQ(open_fds(pmcd_pid()), pmcd_fds);
  EXPECT_EQ(open_fds(agent_->pid()), agent_fds);
}

// ./Remove leaves nothing of the agent's in the kernel: none of the
// programs and maps it held, no link to them, no tracepoint or uprobe
// attachment of its process, no uprobe event named after it.
TEST_F(Lifecycle, RemoveLeavesNoProgramMapLinkOrAttachment) {
  // the lifecycle's modules and a uprobe
  std::string conf = std::regex_replace(kConf, std::regex("modules = runqlat,biolatency"),
                                        "modules = runqlat,biolatency,uprobe_hits") +
                     "\n[uprobe_hits]\nmodule = uprobe_hits\ncluster = 102\nuprobes = c:strlen\n";
  ASSERT_TRUE(agent_->install(conf)) << agent_->log();
  ASSERT_EQ(pcp_.strings("bcc.pmda.module.state")["uprobe_hits"], "active") << agent_->log();
  int pid = agent_->pid();
  ASSERT_GT(pid, 0);
  std::string attached = perf_attachments(pid);
  EXPECT_NE(attached.find("tracepoint"), std::string::npos) << attached;
  EXPECT_NE(attached.find("uprobe"), std::string::npos) << attached;
  std::set<std::string> programs = ids_after(attached, "prog_id");
  ASSERT_FALSE(programs.empty()) << attached;
  std::set<std::string> maps;
  for (const std::string& id : programs)
    for (const std::string& map : ids_after(run("bpftool prog show id " + id), "map_ids"))
      maps.insert(map);
  ASSERT_FALSE(maps.empty());

  std::string out = agent_->remove();
  for (int i = 0; i < 50 && running(pid); i++)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_FALSE(running(pid)) << "the agent still runs after ./Remove\n" << out;
  // the kernel frees a dead process's programs shortly after, not at once
  for (int i = 0; i < 50 && !still_loaded("prog", programs).empty(); i++)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(still_loaded("prog", programs), std::set<std::string>()) << out;
  EXPECT_EQ(still_loaded("map", maps), std::set<std::string>()) << out;
  EXPECT_EQ(perf_attachments(pid), "");
  std::set<std::string> linked = ids_after(run("bpftool link show 2>/dev/null"), "prog");
  for (const std::string& id : programs) EXPECT_EQ(linked.count(id), 0u) << "link to prog " << id;
  std::string uprobe_events = run("cat /sys/kernel/tracing/uprobe_events 2>/dev/null");
  EXPECT_EQ(uprobe_events.find("bcc_" + std::to_string(pid)), std::string::npos) << uprobe_events;
  EXPECT_EQ(programs_after_release(), "");
}

// A program the verifier refuses fails its own module, with the kernel's
// reason in the log and status; the other module keeps serving.
TEST_F(Lifecycle, VerifierRefusalFailsOnlyThatModule) {
  char dir[] = "/var/tmp/pmdabcc-modules-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string modules = agent_->pmda_dir() + "/modules";
  run("cp " + modules + "/* " + dir);  // programs and the headers they share
  // dereferencing a null pointer: every kernel's verifier refuses it
  std::ofstream(std::string(dir) + "/runqlat.bpf", std::ios::app)
      << "\n#ifdef SWITCH_TRACEPOINT\nTRACEPOINT_PROBE(sched, sched_process_free) {\n"
         "    u64 *p = 0;\n    return *p;\n}\n#endif\n";
  // the refused function is attached under the switch probe's name
  run("sed -i 's/^TRACEPOINT_PROBE(sched, sched_switch)/TRACEPOINT_PROBE(sched, sched_switch_unused)/;"
      " s/sched_process_free/sched_switch/' " + std::string(dir) + "/runqlat.bpf");
  ASSERT_TRUE(agent_->install(kConf, std::string("-m ") + dir)) << agent_->log();
  auto state = pcp_.strings("bcc.pmda.module.state");
  EXPECT_EQ(state["runqlat"], "failed");
  EXPECT_EQ(state["biolatency"], "active");
  std::string reason = pcp_.strings("bcc.pmda.module.reason")["runqlat"];
  EXPECT_NE(reason.find("switch"), std::string::npos) << reason;
  EXPECT_TRUE(pcp_.numbers("bcc.runq.latency").empty());
  uint64_t before = pcp_.total("bcc.disk.all.latency");
  ASSERT_EQ(direct_writes("/var/tmp/pmdabcc-lifecycle-io", 16), "");
  EXPECT_GE(pcp_.total("bcc.disk.all.latency") - before, 16u);
  std::string log = agent_->log();
  size_t failures = 0;
  for (size_t p = 0; (p = log.find("Error: module [runqlat]", p)) != std::string::npos; p++)
    failures++;
  EXPECT_EQ(failures, 1u) << log;
  run(std::string("rm -rf ") + dir);
}

}  // namespace
}  // namespace bcc::test
