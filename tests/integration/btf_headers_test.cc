// A machine where no linux-headers package was ever installed, as CI's
// fresh Debian 12 is: /lib/modules/$(uname -r)/{build,source} are moved
// aside (support/kernel_headers_aside.h: put back whatever happens) and the
// cache of kernel trees made from BTF is emptied, then the agent runs with
// every module it has and the default `kernel_headers` (auto). Each module
// that can run on this kernel compiles against the tree the loader makes
// from the kernel's BTF, becomes active, says so in its log and status, and
// its programs run under a workload. A custom and a registered program that
// use a macro only a kernel header defines fail saying that BTF cannot give
// it. `pmdabcc --check` names the header source for auto, btf and installed.
#include <gtest/gtest.h>
#include <dirent.h>
#include <pcp/pmapi.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "support/agent_suite.h"
#include "support/installed_agent.h"
#include "support/kernel_headers_aside.h"
#include "support/module_set.h"
#include "support/pcp_client.h"
#include "support/pcp_tools.h"
#include "support/registered_programs.h"
#include "support/soak_conf.h"
#include "support/target_process.h"
#include "support/traffic.h"
#include "support/workload.h"

namespace bcc::test {
namespace {

const char* const kHeaderCache = "/var/cache/pcp/pmdabcc";

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  return lines;
}

bool present(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0;
}

// The kernel trees in the cache ("kernel-<build id>").
std::vector<std::string> cached_trees() {
  std::vector<std::string> trees;
  if (DIR* dir = opendir(kHeaderCache)) {
    while (struct dirent* e = readdir(dir))
      if (std::string(e->d_name).compare(0, 7, "kernel-") == 0) trees.push_back(e->d_name);
    closedir(dir);
  }
  return trees;
}

// Each tree is renamed first, so that no loader ever finds half of one.
void empty_header_cache() {
  for (const std::string& tree : cached_trees()) {
    std::string path = std::string(kHeaderCache) + "/" + tree;
    std::string gone = std::string(kHeaderCache) + "/.emptied-" + std::to_string(getpid()) + "-" + tree;
    if (rename(path.c_str(), gone.c_str()) == 0) run("rm -rf '" + gone + "'");
  }
}

// Uses PF_KTHREAD, a macro of <linux/sched.h>: BTF carries types, not macros.
const char* const kNeedsAMacro = R"(// counts switches to kernel threads
BPF_HASH(kthreads, u32, u64);
TRACEPOINT_PROBE(sched, sched_switch) {
    struct task_struct *t = (struct task_struct *)bpf_get_current_task();
    u32 zero = 0;
    if (t->flags & PF_KTHREAD)
        kthreads.increment(zero);
    return 0;
}
)";

const char* const kRegisteredNeedsAMacro = R"(// name: btf_gap_registered
// export: exiting counter count
BPF_HASH(exiting, u32, u64);
TRACEPOINT_PROBE(sched, sched_process_exit) {
    struct task_struct *t = (struct task_struct *)bpf_get_current_task();
    u32 zero = 0;
    if (t->flags & PF_EXITING)
        exiting.increment(zero);
    return 0;
}
)";

class BtfHeaders : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    unavailable_ = integration_unavailable();
    if (!unavailable_.empty()) return;
    std::string lock = hold_integration_lock();
    if (!lock.empty()) printf("%s\n", lock.c_str());
    agent_ = new InstalledAgent();  // puts back what a killed run left aside
    aside_ = new KernelHeadersAside();
    move_error_ = aside_->move();
    if (!move_error_.empty()) return;
    printf("kernel headers %s\n", aside_->moved() ? "moved aside" : "were not installed");
    empty_header_cache();
    // modules that follow a process (USDT probes of a JVM) follow one of ours
    std::string followed = start_followed_jvm(jvm_, jvm_unavailable_);
    // no kernel_headers key: auto, what a fresh install runs with
    conf_ = soak_conf(read_text(shipped_conf_path()), installed_module_types(agent_->pmda_dir()),
                      64, {"prog_stats = True", "allow_dynamic = True"}, followed);
    std::string text = conf_.text;
    size_t modules = text.find("\nmodules = ");
    size_t end = text.find('\n', modules + 1);
    text.insert(end, ",btf_gap");
    text += "\n[btf_gap]\nmodule = custom\ncluster = 250\nprogram = btf_headers_test_gap.bpf\n"
            "export = kthreads:counter\n";
    write_agent_file("btf_headers_test_gap.bpf", kNeedsAMacro);
    auto start = std::chrono::steady_clock::now();
    installed_ = agent_->install(text);
    ready_seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!installed_) return;
    PcpClient pcp;
    modules_ = ModuleSet::read(pcp);
    compiled_against_ = pcp.strings("bcc.pmda.module.kernel_headers");
    printf("first compile (cache emptied), Install to ready: %.2f s\n", ready_seconds_);
    for (const auto& [section, seconds] : pcp.doubles("bcc.pmda.module.compile_time"))
      if (modules_.active(section)) printf("  %s compiled in %.2f s\n", section.c_str(), seconds);
    // work that fires most modules' probes
    scheduler_churn(4, 50);
    fork_children(20);
    run("for i in 1 2 3 4 5; do /bin/true; done");
    loopback_tcp_session(100000);
    direct_writes("/var/tmp/pmdabcc-btf-test.data", 50);
    unlink("/var/tmp/pmdabcc-btf-test.data");
    sleep(2);
    runs_ = pcp.numbers("bcc.pmda.prog.run_count");

    std::string file = "/tmp/pmdabcc-btf-test-register." + std::to_string(getpid());
    write_text(file, kRegisteredNeedsAMacro);
    run("pmstore -h local: bcc.control.register \"$(cat " + file + ")\" 2>&1");
    unlink(file.c_str());
    registered_ = settled_program(pcp, "btf_gap_registered");

    check_auto_ = check(agent_->pmda_dir() + "/bcc.conf");
    check_btf_ = check_runqlat("btf");
    check_installed_ = check_runqlat("installed");
  }
  static void TearDownTestSuite() {
    delete agent_;  // puts the previous bcc.conf back, with the headers still aside
    agent_ = nullptr;
    unlink((std::string(pmGetConfig("PCP_PMDAS_DIR")) + "/bcc/btf_headers_test_gap.bpf").c_str());
    delete aside_;
    aside_ = nullptr;
    delete jvm_;
    jvm_ = nullptr;
  }
  void SetUp() override {
    if (!unavailable_.empty()) GTEST_SKIP() << unavailable_;
    ASSERT_EQ(move_error_, "");
    ASSERT_TRUE(installed_) << agent_->log();
  }
  // `pmdabcc --check` of a configuration, what it prints
  static std::string check(const std::string& conf) {
    return run("timeout 300 " + agent_->pmda_dir() + "/pmdabcc --check -c " + conf +
               " 2>/dev/null");
  }
  static std::string check_runqlat(const std::string& headers) {
    std::string conf = agent_->pmda_dir() + "/btf_headers_test_check.conf";
    write_text(conf, "[pmda]\nmodules = runqlat\nmodule_failure_fatal = False\nkernel_headers = " +
                         headers + "\n[runqlat]\nmodule = runqlat\ncluster = 4\n");
    std::string out = check(conf);
    unlink(conf.c_str());
    return out;
  }
  bool follows_a_process(const std::string& section) const {
    return std::count(conf_.following.begin(), conf_.following.end(), section) > 0;
  }
  uint64_t runs_of(const std::string& section) const {
    uint64_t n = 0;
    for (const auto& [instance, count] : runs_)
      if (instance.compare(0, section.size() + 2, section + "::") == 0) n += count;
    return n;
  }

  static inline std::string unavailable_, move_error_, jvm_unavailable_;
  static inline std::string check_auto_, check_btf_, check_installed_;
  static inline TargetProcess* jvm_ = nullptr;
  static inline KernelHeadersAside* aside_ = nullptr;
  static inline InstalledAgent* agent_ = nullptr;
  static inline bool installed_ = false;
  static inline double ready_seconds_ = 0;
  static inline SoakConf conf_;
  static inline ModuleSet modules_;
  static inline std::map<std::string, std::string> compiled_against_;
  static inline std::map<std::string, uint64_t> runs_;
  static inline nlohmann::json registered_;
};

TEST_F(BtfHeaders, NoHeadersAreLeftToCompileAgainst) {
  EXPECT_FALSE(present(kernel_modules_dir() + "/build"));
  EXPECT_FALSE(present(kernel_modules_dir() + "/source"));
}

// The cache was emptied: the loaders (several at once) made the tree again.
TEST_F(BtfHeaders, FirstCompileMadeTheTreeOnce) {
  std::vector<std::string> trees = cached_trees();
  ASSERT_EQ(trees.size(), 1u);
  std::string tree = std::string(kHeaderCache) + "/" + trees[0];
  EXPECT_TRUE(present(tree + "/vmlinux.h"));
  EXPECT_TRUE(present(tree + "/include/linux/kconfig.h"));
  EXPECT_EQ(run("ls -A " + std::string(kHeaderCache) + " | grep -v '^kernel-\\|^.lock$' || true"),
            "")
      << "half-made trees left in the cache";
  for (const auto& [section, against] : compiled_against_) {
    if (!modules_.active(section)) continue;
    EXPECT_NE(against.find(tree), std::string::npos) << section;
  }
}

TEST_F(BtfHeaders, EveryModuleThatRunsHereCompilesAgainstBtf) {
  std::string log = agent_->log();
  int active = 0;
  for (const std::string& section : conf_.sections) {
    std::string why = modules_.unavailable(section);
    if (why.empty() && follows_a_process(section) && !jvm_unavailable_.empty())
      why = section + " follows a JVM: " + jvm_unavailable_;
    if (!why.empty()) {
      printf("not run: %s\n", why.c_str());
      continue;
    }
    EXPECT_TRUE(modules_.active(section)) << section << ": " << modules_.reason(section);
    bool against_btf = false;
    for (const std::string& line : lines_of(log))
      if (line.find("module [" + section + "]: active in ") != std::string::npos ||
          line.find("module [" + section + "]: partial in ") != std::string::npos)
        against_btf = line.find("against the running kernel's BTF") != std::string::npos;
    EXPECT_TRUE(against_btf) << section << "\n" << log;
    EXPECT_EQ(compiled_against_[section].find("the running kernel's BTF (/sys/kernel/btf/vmlinux)"),
              0u)
        << section << ": " << compiled_against_[section];
    if (modules_.active(section)) active++;
  }
  EXPECT_GE(active, 10) << "fewer modules than today run against BTF";
  EXPECT_EQ(log.find("compiled against the installed kernel headers"), std::string::npos) << log;
  EXPECT_NE(log.find("kernel_headers = auto: programs are compiled against the running kernel's "
                     "BTF (/sys/kernel/btf/vmlinux) (installed headers: no kernel headers at " +
                     kernel_modules_dir() + "/build)"),
            std::string::npos)
      << log;
}

// Values flow: the programs of the modules the workload exercises ran.
TEST_F(BtfHeaders, ProgramsRunUnderTheWorkload) {
  for (const char* section : {"runqlat", "sysfork", "syscount", "execsnoop", "exectop",
                              "profile", "tcplife", "tcptop", "tcpperpid", "netproc"}) {
    if (std::find(conf_.sections.begin(), conf_.sections.end(), section) ==
            conf_.sections.end() ||
        !modules_.active(section))
      continue;
    EXPECT_GT(runs_of(section), 0u) << section << " never ran";
  }
  PcpClient pcp;
  if (modules_.active("runqlat")) {
    uint64_t samples = 0;
    for (const auto& [bucket, n] : pcp.numbers("bcc.runq.latency")) samples += n;
    EXPECT_GT(samples, 0u) << "bcc.runq.latency has no samples";
  }
}

TEST_F(BtfHeaders, CustomProgramNeedingAHeaderMacroSaysBtfCannotGiveIt) {
  EXPECT_EQ(modules_.active("btf_gap"), false);
  const std::string& reason = modules_.reason("btf_gap");
  EXPECT_NE(reason.find("compile failed"), std::string::npos) << reason;
  EXPECT_NE(reason.find("PF_KTHREAD"), std::string::npos) << reason;
  EXPECT_NE(reason.find("compiled against the running kernel's BTF"), std::string::npos) << reason;
  EXPECT_NE(reason.find("not the macros or inline functions its headers define"),
            std::string::npos)
      << reason;
  // the other modules are unaffected
  EXPECT_TRUE(modules_.active("runqlat")) << modules_.reason("runqlat");
}

TEST_F(BtfHeaders, RegisteredProgramNeedingAHeaderMacroSaysBtfCannotGiveIt) {
  ASSERT_FALSE(registered_.is_null()) << "btf_gap_registered not in bcc.info.programs";
  EXPECT_EQ(registered_["state"], "failed") << registered_;
  std::string error = registered_.value("error", "");
  EXPECT_NE(error.find("PF_EXITING"), std::string::npos) << error;
  EXPECT_NE(error.find("not the macros or inline functions its headers define"),
            std::string::npos)
      << error;
}

TEST_F(BtfHeaders, CheckNamesTheHeaderSource) {
  EXPECT_NE(check_auto_.find("kernel headers (kernel_headers = auto): the running kernel's BTF "
                             "(/sys/kernel/btf/vmlinux) (installed headers: no kernel headers at " +
                             kernel_modules_dir() + "/build)"),
            std::string::npos)
      << check_auto_;
  EXPECT_NE(check_btf_.find("kernel headers (kernel_headers = btf): the running kernel's BTF "
                            "(/sys/kernel/btf/vmlinux)"),
            std::string::npos)
      << check_btf_;
  EXPECT_NE(check_btf_.find("runqlat: active"), std::string::npos) << check_btf_;
  // installed, with none installed: said at once, nothing is compiled
  EXPECT_NE(check_installed_.find("kernel headers (kernel_headers = installed): the installed "
                                  "kernel headers (" + kernel_modules_dir() + "/build) (no kernel "
                                  "headers at " + kernel_modules_dir() + "/build); no kernel "
                                  "headers at " + kernel_modules_dir() + "/build: BPF programs "
                                  "cannot be compiled (set [pmda] kernel_headers = auto or btf"),
            std::string::npos)
      << check_installed_;
  EXPECT_NE(check_installed_.find("runqlat: failed: compile failed: no kernel headers at"),
            std::string::npos)
      << check_installed_;
}

// `-m` given relative to where the agent is started: the loader, which runs
// elsewhere, still finds the headers the programs include (runqlat's
// cpu_rows.h) in that folder.
TEST_F(BtfHeaders, CheckFindsHeadersInARelativeModulesFolder) {
  std::string conf = agent_->pmda_dir() + "/btf_headers_test_relative.conf";
  write_text(conf, "[pmda]\nmodules = runqlat\nmodule_failure_fatal = False\n"
                   "[runqlat]\nmodule = runqlat\ncluster = 4\n");
  std::string out = run("cd " + agent_->pmda_dir() + " && timeout 300 ./pmdabcc --check -c " +
                        conf + " -m modules 2>/dev/null");
  unlink(conf.c_str());
  EXPECT_NE(out.find("runqlat: active"), std::string::npos) << out;
}

}  // namespace
}  // namespace bcc::test
