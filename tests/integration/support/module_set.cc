#include "support/module_set.h"

#include "support/pcp_client.h"

namespace bcc::test {

const char* const kAllModulesConf = R"([pmda]
modules = runqlat,biolatency,tcplife,execsnoop,syscount,netproc,exitsnoop,oomkill
module_failure_fatal = False

[runqlat]
module = runqlat
cluster = 4

[biolatency]
module = biolatency
cluster = 0

[tcplife]
module = tcplife
cluster = 3

[execsnoop]
module = execsnoop
cluster = 8

[syscount]
module = syscount
cluster = 15

[netproc]
module = netproc
cluster = 40

[exitsnoop]
module = exitsnoop
cluster = 61
process_count = 200

[oomkill]
module = oomkill
cluster = 60
)";

ModuleSet ModuleSet::read(PcpClient& pcp) {
  ModuleSet set;
  set.state_ = pcp.strings("bcc.pmda.module.state");
  set.reason_ = pcp.strings("bcc.pmda.module.reason");
  return set;
}

bool ModuleSet::built(const std::string& section) const {
  auto it = state_.find(section);
  return it != state_.end() && reason(section).find("unknown module type") == std::string::npos;
}

bool ModuleSet::active(const std::string& section) const {
  auto it = state_.find(section);
  // partial: running without probes this kernel lacks
  return it != state_.end() && (it->second == "active" || it->second == "partial");
}

const std::string& ModuleSet::reason(const std::string& section) const {
  static const std::string none;
  auto it = reason_.find(section);
  return it == reason_.end() ? none : it->second;
}

std::string ModuleSet::unavailable(const std::string& section) const {
  if (state_.find(section) == state_.end())
    return "module " + section + " is not configured in the agent under test";
  if (!built(section))
    return "module type " + section + " is not built into this agent yet (" + reason(section) + ")";
  if (state_.at(section) == "postponed")
    return "module " + section + " waits for a process its probes name: " + reason(section);
  // a kernel feature missing here (kprobes): the module cannot run at all
  const std::string& why = reason(section);
  if (!active(section) && (why.find("no alternative works") != std::string::npos ||
                           why.find("no probe of this module is available") != std::string::npos))
    return "module " + section + " cannot attach on this kernel: " + why;
  return "";
}

}  // namespace bcc::test
