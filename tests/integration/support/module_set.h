// The modules the files shipped for PCP's tools cover (pmlogconf groups,
// pmrep metric sets, the Grafana dashboard), all enabled in one bcc.conf,
// and which of them the agent under test has: a module type this build
// does not have is reported by the agent as "unknown module type", and
// tests of it skip saying so.
#pragma once

#include <map>
#include <string>

namespace bcc::test {

class PcpClient;

// Every covered module, one section per type named after it, with the
// clusters of the Python agent; a module that fails does not stop the rest.
extern const char* const kAllModulesConf;

class ModuleSet {
 public:
  // Reads bcc.pmda.module.state and .reason from the running agent.
  static ModuleSet read(PcpClient& pcp);

  // The agent knows the module type (it may still have failed to attach).
  bool built(const std::string& section) const;
  bool active(const std::string& section) const;
  const std::string& reason(const std::string& section) const;
  // Why a test of this module cannot run here, or "" when it can: the type
  // is not built into this agent, or no probe alternative exists on this
  // kernel (kprobe-only modules). Any other failure is not a reason to skip.
  std::string unavailable(const std::string& section) const;

 private:
  std::map<std::string, std::string> state_, reason_;
};

}  // namespace bcc::test

// Skips the test, printing why, when `section` cannot run here; fails it
// when the module is built but did not start for another reason.
#define REQUIRE_MODULE(modules, section)                                          \
  do {                                                                            \
    std::string why_ = (modules).unavailable(section);                            \
    if (!why_.empty()) GTEST_SKIP() << why_;                                      \
    ASSERT_TRUE((modules).active(section))                                        \
        << "module " << (section) << " is built but not active: " << (modules).reason(section); \
  } while (0)
