// The lean agent: programs are built by short-lived loader processes, the
// resident agent never maps libbcc, LLVM or clang, and nothing a program's
// text does to its loader (a crash, an #include of a FIFO, pinned tables)
// reaches the agent or the clients pmcd serves meanwhile.
#include <gtest/gtest.h>
#include <pcp/pmapi.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "support/agent_conf.h"
#include "support/agent_suite.h"
#include "support/registered_programs.h"
#include "support/fetch_watch.h"
#include "support/pcp_tools.h"
#include "support/target_process.h"
#include "support/wait.h"

namespace bcc::test {
namespace {

using nlohmann::json;

const std::string kConf = "[pmda]\n"
                          "modules = runqlat,biolatency,ucalls,ustat\n"
                          "module_failure_fatal = False\n"
                          "process_refresh = 1\n"
                          "allow_dynamic = True\n"
                          "compile_timeout = 20\n" +
                          runqlat_and_biolatency() +
                          conf_section("ucalls", "ucalls", 16, "process = .*PmdabccJavaTarget.*\n") +
                          conf_section("ustat", "ustat", 17, "process = .*PmdabccJavaTarget.*\n");

// The suite's hook into the loader (src/loader): with this root-owned file
// present, a program whose text holds the marker crashes its loader.
const char* kCrashSwitch = "/run/pmdabcc-test-loader-crash";

// getppid() calls per process, in a map named `map`.
std::string counting_program(const std::string& name, const std::string& map,
                             const std::string& first_lines = "") {
  return first_lines + "// name: " + name + "\n// export: " + map +
         " counter count key=u32:number\n"
         "BPF_HASH(" + map + ", u32, u64);\n"
         "TRACEPOINT_PROBE(syscalls, sys_enter_getppid) {\n"
         "  u32 pid = bpf_get_current_pid_tgid() >> 32;\n"
         "  " + map + ".increment(pid);\n"
         "  return 0;\n"
         "}\n";
}

void call_getppid(int times) {
  for (int i = 0; i < times; i++) syscall(SYS_getppid);
}

std::string me() { return std::to_string(getpid()); }

// Stores `texts` into bcc.control.register in ONE pmStore (one value set
// each), from a context of its own that first fetches the metric, as
// pmstore(1) does; pmStore's status.
int store_register(const std::vector<std::string>& texts) {
  int context = pmNewContext(PM_CONTEXT_HOST, "local:");
  if (context < 0) return context;
  const char* name = "bcc.control.register";
  pmID id;
  int status = pmLookupName(1, &name, &id);
  pmResult* current = nullptr;
  if (status >= 0) status = pmFetch(1, &id, &current);
  if (current) pmFreeResult(current);
  if (status >= 0) {
    size_t n = texts.size();
    pmResult* result = static_cast<pmResult*>(
        calloc(1, sizeof(pmResult) + n * sizeof(pmValueSet*)));
    result->numpmid = static_cast<int>(n);
    for (size_t i = 0; i < n; i++) {
      auto* vset = static_cast<pmValueSet*>(calloc(1, sizeof(pmValueSet)));
      vset->pmid = id;
      vset->numval = 1;
      vset->valfmt = PM_VAL_DPTR;
      vset->vlist[0].inst = PM_IN_NULL;
      size_t len = PM_VAL_HDR_SIZE + texts[i].size() + 1;
      auto* block = static_cast<pmValueBlock*>(calloc(1, len));
      block->vtype = PM_TYPE_STRING;
      block->vlen = static_cast<unsigned>(len);
      memcpy(block->vbuf, texts[i].c_str(), texts[i].size() + 1);
      vset->vlist[0].value.pval = block;
      result->vset[i] = vset;
    }
    status = pmStore(result);
    for (size_t i = 0; i < n; i++) {
      free(result->vset[i]->vlist[0].value.pval);
      free(result->vset[i]);
    }
    free(result);
  }
  pmDestroyContext(context);
  return status;
}

// The names of every BPF map in the kernel (bpftool: at most 15 characters).
std::string kernel_map_names() { return run("bpftool -j map show 2>/dev/null"); }

class LeanAgent : public AgentSuite {
 protected:
  static void SetUpTestSuite() { install_for_suite(kConf); }

  json programs() { return registered_programs(pcp_); }
  json program(const std::string& name) { return registered_program(pcp_, name); }
  json settled(const std::string& name) { return settled_program(pcp_, name); }
  int store(const std::string& text) { return store_register({text}); }
  void deregister(const std::string& name) {
    int status = 0;
    run("pmstore bcc.control.deregister " + name + " 2>&1", &status);
  }
};

TEST_F(LeanAgent, AgentMapsNoCompiler) {
  int pid = agent_->pid();
  ASSERT_GT(pid, 0);
  std::string maps = read_text("/proc/" + std::to_string(pid) + "/maps");
  ASSERT_FALSE(maps.empty());
  for (const char* library : {"libbcc", "libLLVM", "libclang-cpp", "libclang"})
    EXPECT_EQ(maps.find(library), std::string::npos) << "the agent maps " << library;
  // the modules run: built by loaders, attached, counting
  EXPECT_EQ(pcp_.strings("bcc.pmda.module.state")["runqlat"], "active") << status("runqlat");
  EXPECT_EQ(pcp_.strings("bcc.pmda.module.state")["biolatency"], "active")
      << status("biolatency");
  EXPECT_TRUE(wait_until([&] { return pcp_.total("bcc.runq.latency") > 0; }));
  // and no loader outlives its build
  EXPECT_EQ(run("pgrep -x pmdabcc-loader || true"), "");
}

TEST_F(LeanAgent, ProgramStartingWithDirectivesCountsAndAFailingLoaderHurtsNoOne) {
  int pid = agent_->pid();
  std::string directives = "#include <uapi/linux/ptrace.h>\n#define STEP 1\n";
  ASSERT_EQ(store(counting_program("directives", "dcalls", directives)), 0);
  json p = settled("directives");
  ASSERT_EQ(p["state"], "active") << p << agent_->log();
  call_getppid(40);
  EXPECT_TRUE(wait_until([&] { return value("bcc.custom.directives.dcalls", me()) >= 40; }));

  // a loader dying of a signal fails its own registration only
  write_text(kCrashSwitch, "");
  int status = store(counting_program("crashing", "ccalls", "// PMDABCC_TEST_LOADER_CRASH\n"));
  json crashed = settled("crashing");
  unlink(kCrashSwitch);
  EXPECT_EQ(status, 0);
  EXPECT_EQ(crashed["state"], "failed") << crashed;
  std::string error = crashed["error"];
  EXPECT_NE(error.find("signal 11"), std::string::npos) << error;
  EXPECT_EQ(agent_->pid(), pid) << "the agent itself died";
  uint64_t before = value("bcc.custom.directives.dcalls", me());
  call_getppid(25);
  EXPECT_TRUE(wait_until(
      [&] { return value("bcc.custom.directives.dcalls", me()) >= before + 25; }));
  deregister("directives");
  deregister("crashing");
}

TEST_F(LeanAgent, IncludesOfFilesAreRefusedAndLeakNothing) {
  TempDir dir("loader-include");
  std::string fifo = dir / "fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0666), 0);
  std::string secret = dir / "secret";
  const std::string token = "PMDABCC_SECRET_TOKEN_7f3a9";
  write_text(secret, token + "\n");
  chmod(secret.c_str(), 0600);

  FetchWatch watch({"bcc.runq.latency", "bcc.pmda.module.state", "bcc.info.programs"});
  struct Case {
    std::string name, include;
  } cases[] = {{"fifo", "#include \"" + fifo + "\"\n"},
               {"stdin", "#include \"/dev/stdin\"\n"},
               {"stdin_angle", "#include </dev/stdin>\n"},
               {"secret", "#include \"" + secret + "\"\n"},
               {"climbing", "#include <../../../../" + secret.substr(1) + ">\n"}};
  for (const Case& c : cases) {
    ASSERT_EQ(store(counting_program(c.name, "icalls", c.include)), 0) << c.name << agent_->log();
    json p = settled(c.name);
    EXPECT_EQ(p["state"], "failed") << c.name << ": " << p;
    std::string error = p.value("error", "");
    EXPECT_NE(error.find("include"), std::string::npos) << c.name << ": " << error;
  }
  watch.stop();
  EXPECT_EQ(programs().dump().find(token), std::string::npos);
  EXPECT_EQ(agent_->log().find(token), std::string::npos);
  EXPECT_EQ(watch.failures(), 0);
  EXPECT_GT(watch.fetches(), 0);
  RecordProperty("longest_fetch_seconds", std::to_string(watch.longest_seconds()));
  EXPECT_LT(watch.longest_seconds(), 1.0) << "a client waited behind a build";
  for (const Case& c : cases) deregister(c.name);
}

TEST_F(LeanAgent, PinnedAndPublicTablesAreRefusedAndMapsGoWithTheProgram) {
  store("// name: pinned\n// export: pinned_map counter count\n"
        "BPF_TABLE_PINNED(\"hash\", u32, u64, pinned_map, 16, \"/sys/fs/bpf/pmdabcc_test_pin\");\n"
        "TRACEPOINT_PROBE(syscalls, sys_enter_getppid) { return 0; }\n");
  store("// name: public\n// export: public_map counter count\n"
        "BPF_TABLE_PUBLIC(\"hash\", u32, u64, public_map, 16);\n"
        "TRACEPOINT_PROBE(syscalls, sys_enter_getppid) { return 0; }\n");
  for (const char* name : {"pinned", "public"}) {
    json p = settled(name);
    EXPECT_EQ(p["state"], "failed") << p;
    EXPECT_NE(p.value("error", "").find("table"), std::string::npos) << p;
  }
  struct stat pin;
  EXPECT_NE(stat("/sys/fs/bpf/pmdabcc_test_pin", &pin), 0) << "a pin was made";

  ASSERT_EQ(store(counting_program("mapped", "lt_mapped_cnt")), 0);
  ASSERT_EQ(settled("mapped")["state"], "active") << programs();
  EXPECT_NE(kernel_map_names().find("\"lt_mapped_cnt\""), std::string::npos);
  deregister("mapped");
  EXPECT_TRUE(wait_until(
      [&] { return kernel_map_names().find("\"lt_mapped_cnt\"") == std::string::npos; }))
      << "the program's map outlived it";
  deregister("pinned");
  deregister("public");
}

TEST_F(LeanAgent, StoreOfTwoProgramsIsAnsweredBeforeEitherIsBuilt) {
  FetchWatch watch({"bcc.runq.latency"});
  int status = store_register(
      {counting_program("first_of_two", "f2calls"), counting_program("second_of_two", "s2calls")});
  // answered while both are still being built
  json first = program("first_of_two"), second = program("second_of_two");
  EXPECT_EQ(status, 0);
  EXPECT_EQ(first.value("state", ""), "compiling") << first;
  EXPECT_EQ(second.value("state", ""), "compiling") << second;
  EXPECT_EQ(settled("first_of_two")["state"], "active") << programs();
  EXPECT_EQ(settled("second_of_two")["state"], "active") << programs();
  watch.stop();
  EXPECT_EQ(watch.failures(), 0);
  RecordProperty("longest_fetch_seconds", std::to_string(watch.longest_seconds()));
  deregister("first_of_two");
  deregister("second_of_two");
}

TEST_F(LeanAgent, ChurningJvmsReArmWithoutStallingFetches) {
  std::string why = java_target_unavailable();
  if (!why.empty()) GTEST_SKIP() << why;
  int pid = agent_->pid();
  FetchWatch watch({"bcc.runq.latency", "bcc.proc.ucall.count", "bcc.proc.ustat.method",
                    "bcc.pmda.module.state"});
  int armed = 0;
  for (int round = 0; round < 6; round++) {
    TargetProcess jvm(java_target_command(200, 2));
    ASSERT_TRUE(jvm.work());
    // armed after a rescan (process_refresh = 1) and a build, which a
    // loaded machine makes slower: waited for while the JVM lives, not
    // sampled at a fixed moment
    bool active = false;
    for (int i = 0; i < 100 && !active; i++) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      active = pcp_.strings("bcc.pmda.module.state")["ucalls"] == "active";
    }
    if (active) armed++;
    jvm.finish();
  }
  watch.stop();
  RecordProperty("longest_fetch_seconds", std::to_string(watch.longest_seconds()));
  std::printf("longest fetch while JVMs came and went: %.3f s over %d fetches\n",
              watch.longest_seconds(), watch.fetches());
  EXPECT_EQ(agent_->pid(), pid) << "pmcd lost the agent";
  EXPECT_EQ(watch.failures(), 0);
  EXPECT_GT(armed, 0) << status("ucalls");
  EXPECT_LT(watch.longest_seconds(), 2.5) << "fetches waited behind re-arming";
}

}  // namespace
}  // namespace bcc::test
