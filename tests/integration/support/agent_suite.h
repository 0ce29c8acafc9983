// A test suite that installs the agent once, with a bcc.conf of its own,
// for all of its tests: derive, and call install_for_suite(conf) from
// SetUpTestSuite (after writing any file the configuration names, see
// write_agent_file). The previous configuration is put back after the
// suite (remove_for_suite, called by the default TearDownTestSuite), with the
// files written, and a file the suite left in the folder fails it. Where
// integration tests cannot run, every test skips saying why. A suite that
// makes fixtures of its own (files, sockets, archives) asserts them in
// check_fixtures, which each test runs once the agent is known installed.
#pragma once

#include <gtest/gtest.h>
#include <pcp/pmapi.h>

#include <string>

#include "support/installed_agent.h"
#include "support/pcp_client.h"

namespace bcc::test {

class AgentSuite : public ::testing::Test {
 protected:
  static void install_for_suite(const std::string& conf) {
    unavailable_ = integration_unavailable();
    if (!unavailable_.empty()) return;
    agent_ = new InstalledAgent();
    installed_ = agent_->install(conf);
  }
  static void remove_for_suite() {
    if (!agent_) return;
    std::set<std::string> before = agent_->files_at_start();
    std::string dir = agent_->pmda_dir();
    delete agent_;  // puts the previous configuration back, removes written files
    agent_ = nullptr;
    std::string left;
    for (const std::string& f : files_under(dir))
      if (!before.count(f)) left += " " + f;
    // the installed folder holds only what cmake --install put there
    if (!left.empty()) ADD_FAILURE() << "the suite left files in " << dir << ":" << left;
  }
  static void TearDownTestSuite() { remove_for_suite(); }
  void SetUp() override {
    if (!unavailable_.empty()) GTEST_SKIP() << unavailable_;
    ASSERT_TRUE(installed_) << agent_->log();
    check_fixtures();
  }
  virtual void check_fixtures() {}
  // The module's state and reason, for assertion messages.
  std::string status(const std::string& section) {
    return pcp_.strings("bcc.pmda.module.state")[section] + ": " +
           pcp_.strings("bcc.pmda.module.reason")[section];
  }
  // The value of one instance, 0 when it has none.
  uint64_t value(const std::string& metric, const std::string& instance) {
    auto values = pcp_.numbers(metric);
    auto it = values.find(instance);
    return it == values.end() ? 0 : it->second;
  }

  static inline std::string unavailable_;
  static inline InstalledAgent* agent_ = nullptr;
  static inline bool installed_ = false;
  PcpClient pcp_;
};

// Writes a file into the agent's folder (next to bcc.conf).
void write_agent_file(const std::string& name, const std::string& text);

}  // namespace bcc::test
