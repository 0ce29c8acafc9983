// bcc.control.register, bcc.control.deregister and bcc.info.programs: the
// metrics through which programs are registered while the agent runs.
#pragma once

#include <functional>
#include <string>

#include "pmda/agent_group.h"

namespace bcc {

class ControlGroup : public AgentGroup {
 public:
  // What the metrics do; each store returns 0 or a PCP error code.
  struct Actions {
    std::function<int(const std::string& text)> register_program;
    std::function<int(const std::string& name)> deregister_program;
    std::function<std::string()> programs_json;
    // What the current client context's last registration became.
    std::function<std::string()> last_registration;
  };

  ControlGroup(std::string prefix, Actions actions);
  void read(std::vector<std::vector<Sample>>& out) override;
  int store(size_t item, const std::string& instance, const Value& value) override;

 private:
  Actions actions_;
};

}  // namespace bcc
