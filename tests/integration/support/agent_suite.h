// A test suite that installs the agent into pmcd once, with its own
// bcc.conf, for all of its tests; skips them all, saying why, where
// integration tests cannot run.
#pragma once

#include <gtest/gtest.h>
#include <pcp/pmapi.h>

#include <string>

#include "support/installed_agent.h"
#include "support/pcp_client.h"

namespace bcc::test {

class AgentSuite : public ::testing::Test {
 protected:
  // Call from SetUpTestSuite; `prepare` runs first (files next to bcc.conf).
  static void install_once(const std::string& conf) {
    unavailable_ = integration_unavailable();
    if (!unavailable_.empty()) return;
    agent_ = new InstalledAgent();
    installed_ = agent_->install(conf);
  }
  static void TearDownTestSuite() {
    delete agent_;
    agent_ = nullptr;
  }
  void SetUp() override {
    if (!unavailable_.empty()) GTEST_SKIP() << unavailable_;
    ASSERT_TRUE(installed_) << agent_->log();
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
