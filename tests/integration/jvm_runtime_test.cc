// ucalls and ustat in the real pmcd, on real OpenJDK JVMs running the
// suite's PmdabccJavaTarget with -XX:+ExtendedDTraceProbes: its uniquely
// named method is counted (and timed) by "Class.method", and each JVM's
// method calls and threads are counted under its pid. With process_refresh
// = 2: no values before a JVM runs, values once it does, none and no probe
// left after it exits.
#include <unistd.h>

#include <memory>

#include "support/agent_suite.h"
#include "support/target_process.h"

namespace bcc::test {
namespace {

const char* kLibjvm = "/usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so";
const int kCalls = 3000;
const int kThreads = 12;
const uint64_t kSleepMicroseconds = 20000;  // PmdabccJavaTarget.SLEEP_MS
const char* kMethod = "PmdabccJavaTarget.pmdabccUniquelyNamedMethod";
const char* kSleeper = "PmdabccJavaTarget.pmdabccSleepingMethod";

// [ucalls] detects the language; [ucalls_timed] is told it and times calls.
const char* kConf = R"([pmda]
modules = ucalls,ucalls_timed,ustat
process_refresh = 2
module_failure_fatal = False

[ucalls]
module = ucalls
cluster = 16
process = .*PmdabccJavaTarget.*

[ucalls_timed]
module = ucalls
cluster = 116
prefix = bcc.timed.
process = .*PmdabccJavaTarget.*
language = java
latency = True

[ustat]
module = ustat
cluster = 17
process = .*PmdabccJavaTarget.*
)";

std::string java_command() {
  return std::string("exec java -XX:+ExtendedDTraceProbes -cp ") + TEST_HELPER_DIR +
         "/java PmdabccJavaTarget " + std::to_string(kCalls) + " " + std::to_string(kThreads);
}

class JvmRuntime : public AgentSuite {
 protected:
  static void SetUpTestSuite() {
    if (access("/usr/bin/java", X_OK) != 0 || access(kLibjvm, R_OK) != 0) {
      unavailable_ = "OpenJDK 17 is not installed (openjdk-17-jdk-headless)";
      return;
    }
    install_for_suite(kConf);
  }
  bool active(const std::vector<std::string>& sections) {
    auto state = pcp_.strings("bcc.pmda.module.state");
    for (const std::string& s : sections)
      if (state[s] != "active") return false;
    return true;
  }
  // Waits until every module is active and probes of each of `pids` are
  // attached, as the agent's log lists them ("method__entry pid 12=usdt ...");
  // arming takes a rescan and a compile.
  bool armed_for(const std::vector<int>& pids) {
    return wait_until([&] {
      if (!active({"ucalls", "ucalls_timed", "ustat"})) return false;
      std::string log = agent_->log();
      for (int pid : pids)
        if (log.find("pid " + std::to_string(pid) + "=usdt") == std::string::npos) return false;
      return true;
    }, 60);
  }
  std::string states() {
    return status("ucalls") + " | " + status("ucalls_timed") + " | " + status("ustat");
  }
};

TEST_F(JvmRuntime, MethodCallsAndThreadsOfAJvm) {
  // no JVM: no values
  EXPECT_TRUE(pcp_.numbers("bcc.proc.ucall.count").empty());
  EXPECT_TRUE(pcp_.numbers("bcc.proc.ustat.method").empty());
  EXPECT_EQ(pcp_.strings("bcc.pmda.module.state")["ucalls"], "postponed");

  TargetProcess jvm(java_command());
  ASSERT_GT(jvm.pid(), 0);
  ASSERT_TRUE(armed_for({jvm.pid()})) << states() << "\n" << agent_->log();
  ASSERT_TRUE(jvm.work());

  // ucalls, its language detected: every call of the method, by Class.method
  EXPECT_GE(value("bcc.proc.ucall.count", kMethod), uint64_t(kCalls)) << states();
  EXPECT_TRUE(pcp_.numbers("bcc.proc.ucall.latency.avg").empty()) << "latency not asked for";
  EXPECT_TRUE(pcp_.numbers("bcc.proc.ucall.latency.cml").empty());

  // ucalls with latency: the sleeping method's time is at least its sleep
  EXPECT_GE(value("bcc.timed.proc.ucall.count", kMethod), uint64_t(kCalls));
  EXPECT_GE(value("bcc.timed.proc.ucall.count", kSleeper), 1u);
  EXPECT_GE(value("bcc.timed.proc.ucall.latency.cml", kSleeper), kSleepMicroseconds);
  EXPECT_GE(value("bcc.timed.proc.ucall.latency.avg", kSleeper), kSleepMicroseconds);
  EXPECT_EQ(pcp_.numbers("bcc.timed.proc.ucall.latency.avg").count(kMethod), 1u);

  // ustat: the JVM's method calls, threads and allocations under its pid
  std::string pid = std::to_string(jvm.pid());
  EXPECT_GE(value("bcc.proc.ustat.method", pid), uint64_t(kCalls)) << states();
  EXPECT_GE(value("bcc.proc.ustat.thread", pid), uint64_t(kThreads));
  EXPECT_GE(value("bcc.proc.ustat.object", pid), uint64_t(kThreads));  // new Thread(...)
  for (const char* metric : {"class", "except", "gc"})
    EXPECT_EQ(pcp_.numbers(std::string("bcc.proc.ustat.") + metric).count(pid), 1u) << metric;

  // a second round adds as much again
  uint64_t calls = value("bcc.proc.ucall.count", kMethod);
  uint64_t threads = value("bcc.proc.ustat.thread", pid);
  ASSERT_TRUE(jvm.work());
  EXPECT_GE(value("bcc.proc.ucall.count", kMethod) - calls, uint64_t(kCalls));
  EXPECT_GE(value("bcc.proc.ustat.thread", pid) - threads, uint64_t(kThreads));

  EXPECT_NE(loaded_programs().find("call_entry"), std::string::npos) << loaded_programs();

  // the JVM gone, the modules wait for the next one, no probe left behind
  jvm.finish();
  ASSERT_TRUE(wait_until([&] {
    auto state = pcp_.strings("bcc.pmda.module.state");
    return state["ucalls"] == "postponed" && state["ucalls_timed"] == "postponed" &&
           state["ustat"] == "postponed";
  }, 20)) << states();
  EXPECT_TRUE(pcp_.numbers("bcc.proc.ucall.count").empty());
  EXPECT_TRUE(pcp_.numbers("bcc.proc.ustat.method").empty());
  std::string programs = programs_after_release();
  EXPECT_EQ(programs.find("call_entry"), std::string::npos) << programs;
  EXPECT_EQ(programs.find("count_0_"), std::string::npos) << programs;
}

TEST_F(JvmRuntime, UstatCountsEachJvmUnderItsPid) {
  TargetProcess first(java_command());
  TargetProcess second(java_command());
  ASSERT_GT(first.pid(), 0);
  ASSERT_GT(second.pid(), 0);
  ASSERT_TRUE(armed_for({first.pid(), second.pid()})) << states() << "\n" << agent_->log();
  ASSERT_TRUE(first.work());
  ASSERT_TRUE(second.work());
  ASSERT_TRUE(second.work());
  auto threads = pcp_.numbers("bcc.proc.ustat.thread");
  EXPECT_GE(threads[std::to_string(first.pid())], uint64_t(kThreads));
  EXPECT_GE(threads[std::to_string(second.pid())], uint64_t(2 * kThreads));
  EXPECT_GE(value("bcc.proc.ustat.method", std::to_string(second.pid())), uint64_t(2 * kCalls));
  first.finish();
  second.finish();
  ASSERT_TRUE(wait_until([&] {
    return pcp_.strings("bcc.pmda.module.state")["ustat"] == "postponed";
  }, 20)) << states();
}

TEST_F(JvmRuntime, MetadataMatchesThePythonAgent) {
  struct Expected {
    const char* name;
    const char* pmid;
    int semantics;
    const char* units;
  };
  const Expected expected[] = {
      {"bcc.proc.ucall.count", "149.16.0", PM_SEM_COUNTER, "count"},
      {"bcc.proc.ucall.latency.avg", "149.16.1", PM_SEM_INSTANT, "microsec"},
      {"bcc.proc.ucall.latency.cml", "149.16.2", PM_SEM_COUNTER, "microsec"},
      {"bcc.proc.ustat.thread", "149.17.0", PM_SEM_COUNTER, "count"},
      {"bcc.proc.ustat.method", "149.17.1", PM_SEM_COUNTER, "count"},
      {"bcc.proc.ustat.object", "149.17.2", PM_SEM_COUNTER, "count"},
      {"bcc.proc.ustat.class", "149.17.3", PM_SEM_COUNTER, "count"},
      {"bcc.proc.ustat.except", "149.17.4", PM_SEM_COUNTER, "count"},
      {"bcc.proc.ustat.gc", "149.17.5", PM_SEM_COUNTER, "count"},
  };
  for (const Expected& e : expected) {
    EXPECT_NE(run(std::string("pminfo -m ") + e.name).find(std::string("PMID: ") + e.pmid),
              std::string::npos)
        << e.name;
    MetricInfo info = pcp_.describe(e.name);
    EXPECT_EQ(info.type, PM_TYPE_U64) << e.name;
    EXPECT_EQ(info.semantics, e.semantics) << e.name;
    EXPECT_EQ(info.units, e.units) << e.name;
    EXPECT_TRUE(info.has_indom) << e.name;
    EXPECT_FALSE(info.help.empty()) << e.name;
  }
}

}  // namespace
}  // namespace bcc::test
