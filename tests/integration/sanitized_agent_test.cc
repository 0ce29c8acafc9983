// The agent built with ASan and UBSan (pmdabcc-sanitized, never installed)
// in the real pmcd, with every thread it can have running (the process
// rescan every second, the registration housekeeper, the signal thread, a
// perf buffer's poller), while pmcd is restarted 20 times (the long form:
// BCC_SANITIZED_RESTARTS=50): each restart closes the agent's pipe and
// stops it in the middle of whatever its threads do. No sanitizer may
// report anything, and the agent serves after every restart.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "support/agent_suite.h"
#include "support/pcp_tools.h"
#include "support/pmcd_service.h"
#include "support/wait.h"

namespace bcc::test {
namespace {

// Each restart costs a pmcd start and two module builds (about 3.5 s).
int restarts() { return std::max(1, static_cast<int>(env_number("BCC_SANITIZED_RESTARTS", 20))); }

const char* kConf = R"([pmda]
modules = tcplife,biotop
allow_dynamic = True
process_refresh = 1
module_failure_fatal = False

# a perf buffer's poller, and a process filter rescanned every second
[tcplife]
module = tcplife
cluster = 3
process = pmcd

# the last complete interval, picked at each fetch
[biotop]
module = biotop
cluster = 10
)";

class SanitizedAgent : public AgentSuite {
 protected:
  static void SetUpTestSuite() {
    install_for_suite(kConf);
    if (!agent_ || !installed_) return;
    reports_ = new TempDir("sanitizer-reports");
    // pmcd starts agents with its own environment: a wrapper sets the
    // sanitizers' options, then runs the sanitized agent with pmcd's arguments
    wrapper_ = *reports_ / "pmdabcc-sanitized";
    std::ofstream(wrapper_) << "#!/bin/sh\n"
                            << "ASAN_OPTIONS=log_path=" << (*reports_ / "asan")
                            << ":detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=log_path="
                            << (*reports_ / "ubsan") << ":print_stacktrace=1 exec "
                            << TEST_HELPER_DIR << "/pmdabcc-sanitized \"$@\"\n";
    chmod(wrapper_.c_str(), 0755);
    run(". /etc/pcp.env && sed -i 's|^\\(pmdabcc[[:space:]].*[[:space:]]\\)" +
        agent_->pmda_dir() + "/pmdabcc |\\1" + wrapper_ + " |' \"$PCP_PMCDCONF_PATH\"");
  }
  static void TearDownTestSuite() {
    remove_for_suite();  // ./Install puts the installed agent back in pmcd.conf
    delete reports_;
    reports_ = nullptr;
  }

  // What the sanitizers wrote, every report file in full.
  static std::string reports() {
    return run("for f in " + reports_->path() + "/asan* " + reports_->path() +
               "/ubsan*; do [ -f \"$f\" ] && { echo \"== $f\"; cat \"$f\"; }; done; true");
  }
  // The executables of the processes named like the agent (the sanitized
  // one among them once pmcd runs it).
  static std::string agent_executables() {
    return run("for p in $(pgrep -f pmdabcc); do readlink /proc/$p/exe; done 2>/dev/null");
  }

  static inline TempDir* reports_ = nullptr;
  static inline std::string wrapper_;
};

TEST_F(SanitizedAgent, PmcdRestartsLeaveNoSanitizerReport) {
  const int kRestarts = restarts();
  ASSERT_NE(reports_, nullptr);
  ASSERT_EQ(access(TEST_HELPER_DIR "/pmdabcc-sanitized", X_OK), 0)
      << "pmdabcc-sanitized is not built (target pmdabcc-sanitized)";
  int served = 0;
  for (int i = 0; i < kRestarts; i++) {
    int status = 0;
    std::string out = restart_pmcd(&status);
    ASSERT_EQ(status, 0) << "restart " << i << ": " << out;
    // served: every module's state, then a fetch of everything, and a store
    ASSERT_TRUE(wait_until([] { return run("pminfo -f bcc.pmda.module.state 2>/dev/null")
                                           .find("value \"") != std::string::npos; },
                           60))
        << "restart " << i << ": the agent did not become ready\n" << agent_->log() << reports();
    if (i == 0) {
      ASSERT_NE(agent_executables().find("/pmdabcc-sanitized"), std::string::npos)
          << "pmcd does not run the sanitized agent: " << agent_executables()
          << run(". /etc/pcp.env && grep pmdabcc \"$PCP_PMCDCONF_PATH\"");
    }
    std::string states = run("pminfo -f bcc.pmda.module.state");
    EXPECT_NE(states.find("\"active\""), std::string::npos) << states;
    run("pminfo -f bcc >/dev/null 2>&1; pmstore bcc.control.deregister nothing >/dev/null 2>&1");
    served++;
    // the restarts land at different moments of the agent's own work
    usleep(static_cast<useconds_t>((i % 5) * 100000));
  }
  EXPECT_EQ(served, kRestarts);
  EXPECT_EQ(reports(), "") << "the sanitizers reported";
}

}  // namespace
}  // namespace bcc::test
