// The agent's own metrics (bcc.pmda.module.*): per configured module, its
// state, why it failed, which probe alternatives it uses, its compile time.
#pragma once

#include <memory>
#include <vector>

#include "module/module.h"
#include "pmda/agent_group.h"

namespace bcc {

class StatusGroup : public AgentGroup {
 public:
  StatusGroup(const std::vector<std::unique_ptr<Module>>& modules, std::string prefix);
  void read(std::vector<std::vector<Sample>>& out) override;

 private:
  const std::vector<std::unique_ptr<Module>>& modules_;
};

}  // namespace bcc
