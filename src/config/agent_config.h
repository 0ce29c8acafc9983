// bcc.conf as the agent needs it: the [pmda] settings and, for each enabled
// module, its section, type and cluster, or why that module cannot run.
#pragma once

#include <string>
#include <vector>

#include "config/ini.h"

namespace bcc::config {

// Cluster numbers are 12 bits; the highest are the agent's own.
constexpr unsigned kStatusCluster = 4095;        // bcc.pmda.module.*
constexpr unsigned kProgramStatsCluster = 4094;  // bcc.pmda.prog.*, bcc.pmda.map.*
constexpr unsigned kMaxModuleCluster = 4093;

struct ModuleSection {
  std::string name;     // the section, also the status instance name
  std::string type;     // the `module` key
  unsigned cluster = 0;
  const Section* section = nullptr;
  std::string file;     // bcc.conf's path, for messages
  std::string problem;  // non-empty: this module is misconfigured, and why
};

struct AgentConfig {
  IniFile ini;
  std::string prefix = "bcc.";
  unsigned process_refresh = 0;
  bool module_failure_fatal = true;
  bool prog_stats = false;
  std::vector<ModuleSection> modules;  // in the order of [pmda] modules
  std::vector<std::string> warnings;   // worth a log line, not an error
};

// Errors in [pmda] or the file as a whole throw ConfigError; an error in one
// module's section is recorded as that module's `problem`, so that with
// module_failure_fatal = False the others can still run.
AgentConfig make_agent_config(IniFile ini, const std::vector<std::string>& known_types);

}  // namespace bcc::config
