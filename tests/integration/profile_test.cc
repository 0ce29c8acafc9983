// profile through the real pmcd: pmstore start, a busy loop in a uniquely
// named function of a child process, pmstore stop; the published flame
// graph names that function under the child's command.
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "support/agent_suite.h"

// Not static, not inlined: the profile must find it by this name in the
// test binary's symbol table.
extern "C" __attribute__((noinline)) void pmdabcc_profile_spin_target(volatile unsigned long* n) {
  for (;;) *n = *n + 1;
}

namespace bcc::test {
namespace {

const char* kConf = R"([pmda]
modules = profile
module_failure_fatal = False

[profile]
module = profile
cluster = 14
sample_frequency = 99
)";

class Profile : public AgentSuite {
 protected:
  static void SetUpTestSuite() { install_for_suite(kConf); }
  // bcc.proc.profile, parsed: {"status": ..., "data": flame graph root}.
  nlohmann::json profile() {
    auto v = pcp_.strings("bcc.proc.profile");
    EXPECT_EQ(v.size(), 1u);
    return nlohmann::json::parse(v[""]);
  }
  // After a stop: "stopping" (never "started") while the frames are named,
  // then "stopped" with the tree. Prints how long the naming took.
  nlohmann::json published_profile() {
    auto begin = std::chrono::steady_clock::now();
    nlohmann::json v = profile();
    for (int i = 0; i < 600 && v["status"] == "stopping"; i++) {
      EXPECT_TRUE(v["data"].is_null()) << "data published while stopping";
      usleep(100000);
      v = profile();
    }
    printf("profile published %.2f s after the stop answered\n",
           std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count());
    return v;
  }
};

// A child named "pmdabcc-spin" that spins in pmdabcc_profile_spin_target.
int start_spinner() {
  int pid = fork();
  if (pid == 0) {
    prctl(PR_SET_NAME, "pmdabcc-spin");
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    volatile unsigned long n = 0;
    pmdabcc_profile_spin_target(&n);
    _exit(0);
  }
  return pid;
}

// The node named `name` anywhere below `node`, or null.
const nlohmann::json* find(const nlohmann::json& node, const std::string& name) {
  if (node.value("name", "") == name) return &node;
  for (const auto& child : node["children"])
    if (const nlohmann::json* hit = find(child, name)) return hit;
  return nullptr;
}

TEST_F(Profile, StatusIsStoppedWithoutDataBeforeAStart) {
  auto v = profile();
  EXPECT_EQ(v["status"], "stopped");
  EXPECT_TRUE(v["data"].is_null()) << v.dump();
  auto state = pcp_.strings("bcc.pmda.module.state");
  EXPECT_EQ(state["profile"], "active");
  auto probes = pcp_.strings("bcc.pmda.module.probes");
  EXPECT_EQ(probes["profile"], "sample=perf_event software:cpu-clock");
}

TEST_F(Profile, StartBusyLoopStopNamesTheFunction) {
  int status = 0;
  std::string out = run("pmstore bcc.proc.profile start 2>&1", &status);
  ASSERT_EQ(status, 0) << out;
  EXPECT_EQ(profile()["status"], "started");

  int pid = start_spinner();
  ASSERT_GT(pid, 0);
  sleep(3);
  out = run("pmstore bcc.proc.profile stop 2>&1", &status);
  // gone before its frames are named: named from what the stop read
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  ASSERT_EQ(status, 0) << out;

  auto v = published_profile();
  ASSERT_EQ(v["status"], "stopped") << v.dump().substr(0, 2000);
  const nlohmann::json& root = v["data"];
  ASSERT_TRUE(root.is_object()) << v.dump().substr(0, 2000);
  EXPECT_EQ(root["name"], "root");
  EXPECT_GT(root["value"].get<uint64_t>(), 0u);
  const nlohmann::json* comm = nullptr;
  for (const auto& child : root["children"])
    if (child["name"] == "pmdabcc-spin") comm = &child;
  ASSERT_NE(comm, nullptr) << "no node for the spinning command in "
                           << v.dump().substr(0, 3000);
  EXPECT_EQ((*comm)["libtype"], "user");
  const nlohmann::json* fn = find(*comm, "pmdabcc_profile_spin_target");
  ASSERT_NE(fn, nullptr) << "function not found below the command: " << comm->dump();
  EXPECT_EQ((*fn)["libtype"], "user");
  // ~3 s at 99 Hz, spinning all the time; a loose lower bound
  EXPECT_GE((*fn)["value"].get<uint64_t>(), 20u) << comm->dump();
}

// A start right after a stop, while the old frames may still be named,
// begins a new profile: the old tree is never published over it.
TEST_F(Profile, AStartRightAfterAStopBeginsAFreshProfile) {
  int status = 0;
  for (const char* command : {"start", "stop", "start"}) {
    std::string out = run(std::string("pmstore bcc.proc.profile ") + command + " 2>&1", &status);
    ASSERT_EQ(status, 0) << command << ": " << out;
  }
  for (int i = 0; i < 20; i++, usleep(100000)) {
    auto v = profile();
    ASSERT_EQ(v["status"], "started") << v.dump().substr(0, 500);
    ASSERT_TRUE(v["data"].is_null()) << v.dump().substr(0, 500);
  }
  std::string out = run("pmstore bcc.proc.profile stop 2>&1", &status);
  ASSERT_EQ(status, 0) << out;
  auto v = published_profile();
  EXPECT_EQ(v["status"], "stopped");
  EXPECT_TRUE(v["data"].is_object()) << v.dump().substr(0, 500);
}

TEST_F(Profile, OtherValuesAndReadOnlyMetricsAreRefused) {
  int status = 0;
  std::string out = run("pmstore bcc.proc.profile restart 2>&1", &status);
  EXPECT_NE(status, 0) << out;
  out = run("pmstore bcc.pmda.module.type nothing 2>&1", &status);
  EXPECT_NE(status, 0) << out;
  EXPECT_NE(out.find("ermission"), std::string::npos) << out;
}

}  // namespace
}  // namespace bcc::test
