// A suite run against every module PCP's shipped tool files cover
// (kAllModulesConf): derive, and call install_all_modules() from
// SetUpTestSuite. Tests of a module that cannot run here skip through
// REQUIRE_MODULE(modules_, "section").
#pragma once

#include "support/agent_suite.h"
#include "support/module_set.h"
#include "support/pcp_tools.h"

namespace bcc::test {

class AllModulesSuite : public AgentSuite {
 protected:
  // Puts PCP's tools first on PATH, installs kAllModulesConf and reads
  // which of its modules run; whether the agent was installed.
  static bool install_all_modules() {
    use_system_tools();
    install_for_suite(kAllModulesConf);
    if (installed_) {
      PcpClient pcp;
      modules_ = ModuleSet::read(pcp);
    }
    return installed_;
  }

  static inline ModuleSet modules_;
};

}  // namespace bcc::test
