// bcc.pmda.prog.* and bcc.pmda.map.*: what each module's programs cost the
// kernel (run count and time, with BPF statistics on) and how full its maps
// are. Instances "module::program" and "module::map".
#pragma once

#include <functional>
#include <vector>

#include "module/module.h"
#include "pmda/agent_group.h"

namespace bcc {

class ProgramStatsGroup : public AgentGroup {
 public:
  // `modules`: the modules running now (configured and registered ones).
  ProgramStatsGroup(std::function<std::vector<Module*>()> modules, std::string prefix);
  void read(std::vector<std::vector<Sample>>& out) override;
  // after the modules: their reads of this fetch give map.entries
  bool reads_after_modules() const override { return true; }

 private:
  std::function<std::vector<Module*>()> modules_;
};

}  // namespace bcc
