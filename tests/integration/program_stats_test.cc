// What each program costs: with [pmda] prog_stats the kernel counts every
// run of every program; map fill levels are exported beside them.
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "support/agent_suite.h"
#include "support/workload.h"

namespace bcc::test {
namespace {

const char* kConf = R"([pmda]
modules = runqlat,exectop
prog_stats = True

[runqlat]
module = runqlat
cluster = 4

[exectop]
module = exectop
cluster = 13
)";

// Runs true(1) under `name` (a copy, so that the kernel's comm is the name).
void exec_as(const std::string& name) {
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("pmdabcc-stats-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::filesystem::path program = dir / name;
  std::filesystem::copy_file("/bin/true", program,
                             std::filesystem::copy_options::overwrite_existing);
  pid_t child = fork();
  if (child == 0) {
    execl(program.c_str(), program.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  waitpid(child, nullptr, 0);
  std::filesystem::remove_all(dir);
}

// The kernel's count of possible CPUs: the highest in sysfs's "0-3" + 1.
uint64_t possible_cpus() {
  std::ifstream in("/sys/devices/system/cpu/possible");
  std::string text;
  std::getline(in, text);
  size_t pos = text.find_last_of(",-");
  return std::stoull(pos == std::string::npos ? text : text.substr(pos + 1)) + 1;
}

class ProgramStats : public AgentSuite {
 protected:
  static void SetUpTestSuite() { install_for_suite(kConf); }
};

TEST_F(ProgramStats, RunCountGrowsWithEventsAndMapsReportTheirFill) {
  const std::string wakeups = "runqlat::tracepoint__sched__sched_wakeup";
  uint64_t before = pcp_.numbers("bcc.pmda.prog.run_count")[wakeups];
  scheduler_churn(4, 250);  // at least 1000 wakeups of our own threads
  auto counts = pcp_.numbers("bcc.pmda.prog.run_count");
  EXPECT_GE(counts[wakeups] - before, 1000u);
  EXPECT_GT(counts["runqlat::tracepoint__sched__sched_switch"], 0u);
  EXPECT_GT(pcp_.numbers("bcc.pmda.prog.run_time")[wakeups], 0u);
  EXPECT_EQ(pcp_.describe("bcc.pmda.prog.run_time").units, "nanosec");
  // skipped runs are kept whether or not statistics are on: every program has a value
  auto missed = pcp_.numbers("bcc.pmda.prog.missed");
  EXPECT_EQ(missed.size(), counts.size());
  EXPECT_TRUE(missed.count(wakeups));

  // runqlat's histogram is one row of 64 slots per possible CPU (cpu_rows.h)
  uint64_t slots = 64 * possible_cpus();
  auto capacity = pcp_.numbers("bcc.pmda.map.capacity");
  EXPECT_EQ(capacity["runqlat::dist"], slots);
  EXPECT_EQ(capacity["runqlat::start"], 10240u);
  auto entries = pcp_.numbers("bcc.pmda.map.entries");
  EXPECT_EQ(entries["runqlat::dist"], slots);
  EXPECT_LE(entries["runqlat::start"], 10240u);
  EXPECT_NE(agent_->log().find("BPF run-time statistics enabled"), std::string::npos);
}

// A map the module reads is counted from that read: in one fetch,
// bcc.pmda.map.entries of exectop's map is exactly the number of command
// names exectop shows, whatever the names hold.
TEST_F(ProgramStats, AMapsEntriesInAFetchAreTheEntriesItsModuleShows) {
  const std::string tag = std::to_string(getpid() % 1000);
  for (std::string name : {"st " + tag, "st\t" + tag, "st\n" + tag, "st\x01" + tag})
    exec_as(name);
  std::map<std::string, std::map<std::string, std::string>> rows;
  size_t commands = 0;
  for (int attempt = 0; attempt < 50; attempt++) {
    if (attempt) usleep(100 * 1000);
    rows = pcp_.rows({"bcc.proc.exec.count", "bcc.pmda.map.entries"});
    if (rows.count("st\\x01" + tag)) break;
  }
  for (const auto& [instance, values] : rows) commands += values.count("bcc.proc.exec.count");
  for (std::string shown : {"st\\x20" + tag, "st\\x09" + tag, "st\\x0a" + tag, "st\\x01" + tag})
    EXPECT_TRUE(rows.count(shown) && rows[shown].count("bcc.proc.exec.count")) << shown;
  ASSERT_TRUE(rows.count("exectop::execs"));
  EXPECT_EQ(rows["exectop::execs"]["bcc.pmda.map.entries"], std::to_string(commands));
}

}  // namespace
}  // namespace bcc::test
