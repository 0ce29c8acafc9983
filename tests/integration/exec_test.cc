// execsnoop and exectop in the real pmcd: the test execs a uniquely named
// program with known arguments and finds it, by pid, among the recent exec()s;
// failed exec()s only with include_failed; regex filters; exectop counts it.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <optional>

#include "support/agent_suite.h"
#include "support/pcp_tools.h"
#include "support/wait.h"

namespace bcc::test {
namespace {

// A copy of true(1) under a name no other process has.
const std::string kName = "xsnoop" + std::to_string(getpid());
const std::string kProgram = "/tmp/" + kName;

// Forks, execs `path` with argv[0] = path and `args`, waits; the child's pid.
pid_t exec_and_wait(const std::string& path, std::vector<std::string> args) {
  pid_t child = fork();
  if (child == 0) {
    std::vector<char*> argv{const_cast<char*>(path.c_str())};
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(path.c_str(), argv.data());
    _exit(127);
  }
  waitpid(child, nullptr, 0);
  return child;
}

struct ExecRow {
  std::string comm, args;
  uint64_t pid = 0, ppid = 0;
  double ret = 0;
};

class Exec : public AgentSuite {
 protected:
  static void SetUpTestSuite() {
    std::filesystem::copy_file("/bin/true", kProgram,
                               std::filesystem::copy_options::overwrite_existing);
    install_for_suite(R"([pmda]
modules = execsnoop,failed,filtered,exectop
module_failure_fatal = False

[execsnoop]
module = execsnoop
cluster = 8

[failed]
module = execsnoop
cluster = 108
prefix = bcc.failed.
include_failed = True

[filtered]
module = execsnoop
cluster = 208
prefix = bcc.filtered.
command = ^xsnoop[0-9]+$
args = keep-me

[exectop]
module = exectop
cluster = 13
)");
  }
  static void TearDownTestSuite() {
    remove_for_suite();
    std::filesystem::remove(kProgram);
  }

  // The recent exec() of `pid` in the table under `prefix`, waiting up to
  // five seconds for the perf buffer to deliver it; nullopt if it never shows.
  std::optional<ExecRow> find(const std::string& prefix, pid_t pid) {
    std::optional<ExecRow> found;
    wait_until([&] { return (found = row_of(prefix, pid)).has_value(); }, 5);
    return found;
  }
  // The exec() of `pid` in the table under `prefix` now, or nullopt.
  std::optional<ExecRow> row_of(const std::string& prefix, pid_t pid) {
    auto pids = pcp_.numbers(prefix + "proc.exec.pid");
    for (auto& [inst, p] : pids) {
      if (p != static_cast<uint64_t>(pid)) continue;
      ExecRow row;
      row.pid = p;
      row.comm = pcp_.strings(prefix + "proc.exec.comm")[inst];
      row.ppid = pcp_.numbers(prefix + "proc.exec.ppid")[inst];
      row.ret = pcp_.doubles(prefix + "proc.exec.ret")[inst];
      row.args = pcp_.strings(prefix + "proc.exec.args")[inst];
      // newer exec()s shift the instances: keep the row only if it did not move
      if (pcp_.numbers(prefix + "proc.exec.pid")[inst] == p) return row;
    }
    return std::nullopt;
  }
};

TEST_F(Exec, ModulesRunOnSyscallTracepoints) {
  for (const char* section : {"execsnoop", "failed", "filtered", "exectop"})
    EXPECT_EQ(status(section), "active: ") << section;
  auto probes = pcp_.strings("bcc.pmda.module.probes");
  EXPECT_NE(probes["execsnoop"].find("enter=tracepoint syscalls:sys_enter_execve"),
            std::string::npos)
      << probes["execsnoop"];
  EXPECT_NE(probes["exectop"].find("exec=tracepoint sched:sched_process_exec"), std::string::npos)
      << probes["exectop"];
}

TEST_F(Exec, NewExecShowsCommPidParentReturnAndArguments) {
  pid_t child = exec_and_wait(kProgram, {"alpha", "beta two"});
  auto row = find("bcc.", child);
  ASSERT_TRUE(row) << "no exec of pid " << child << " in bcc.proc.exec.pid";
  EXPECT_EQ(row->comm, kName);
  EXPECT_EQ(row->ppid, static_cast<uint64_t>(getpid()));
  EXPECT_EQ(row->ret, 0);
  EXPECT_EQ(row->args, kProgram + " alpha beta two");
}

TEST_F(Exec, FailedExecOnlyWithIncludeFailed) {
  pid_t child = exec_and_wait("/nonexistent/" + kName, {"x"});
  auto failed = find("bcc.failed.", child);
  ASSERT_TRUE(failed) << "no failed exec of pid " << child << " with include_failed";
  EXPECT_EQ(failed->ret, -ENOENT);
  EXPECT_EQ(failed->args, "/nonexistent/" + kName + " x");
  EXPECT_FALSE(find("bcc.", child)) << "a failed exec shown without include_failed";
}

TEST_F(Exec, RegexFiltersKeepOnlyMatchingExecs) {
  pid_t dropped = exec_and_wait(kProgram, {"drop-me"});
  pid_t kept = exec_and_wait(kProgram, {"keep-me"});
  pid_t other_command = exec_and_wait("/bin/true", {"keep-me"});
  ASSERT_TRUE(find("bcc.filtered.", kept)) << "args filter dropped a match";
  EXPECT_FALSE(find("bcc.filtered.", dropped)) << "args filter let 'drop-me' through";
  EXPECT_FALSE(find("bcc.filtered.", other_command)) << "command filter let 'true' through";
}

TEST_F(Exec, ExectopCountsTheCommand) {
  auto count = [this] {
    auto counts = pcp_.numbers("bcc.proc.exec.count");
    return counts.count(kName) ? counts[kName] : 0;
  };
  uint64_t before = count();
  for (int i = 0; i < 3; i++) exec_and_wait(kProgram, {});
  EXPECT_GE(count() - before, 3u);
}

TEST_F(Exec, MetadataMatchesThePythonAgent) {
  EXPECT_EQ(pminfo_pmid("bcc.proc.exec.comm"), "149.8.0");
  EXPECT_EQ(pminfo_pmid("bcc.proc.exec.args"), "149.8.4");
  EXPECT_EQ(pminfo_pmid("bcc.proc.exec.count"), "149.13.0");
  EXPECT_EQ(pcp_.describe("bcc.proc.exec.ret").type, PM_TYPE_32);
  EXPECT_EQ(pcp_.describe("bcc.proc.exec.pid").type, PM_TYPE_U32);
  EXPECT_EQ(pcp_.describe("bcc.proc.exec.comm").semantics, PM_SEM_INSTANT);
  MetricInfo count = pcp_.describe("bcc.proc.exec.count");
  EXPECT_EQ(count.semantics, PM_SEM_COUNTER);
  EXPECT_EQ(count.units, "count");
}

}  // namespace
}  // namespace bcc::test
