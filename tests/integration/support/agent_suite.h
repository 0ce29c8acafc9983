// A test suite that installs the agent once, with a bcc.conf of its own,
// for all of its tests: derive, and call install_for_suite(conf) from
// SetUpTestSuite and remove_for_suite() from TearDownTestSuite.
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
    delete agent_;  // puts the previous configuration back
    agent_ = nullptr;
  }
  void SetUp() override {
    if (!unavailable_.empty()) GTEST_SKIP() << unavailable_;
    ASSERT_TRUE(installed_) << agent_->log();
  }
  // The module's state and reason, for assertion messages.
  std::string status(const std::string& section) {
    return pcp_.strings("bcc.pmda.module.state")[section] + ": " +
           pcp_.strings("bcc.pmda.module.reason")[section];
  }

  static inline std::string unavailable_;
  static inline InstalledAgent* agent_ = nullptr;
  static inline bool installed_ = false;
  PcpClient pcp_;
};

}  // namespace bcc::test
