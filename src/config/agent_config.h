// bcc.conf as the agent needs it: the [pmda] settings and, for each enabled
// module, its section, type and cluster, or why that module cannot run.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/kernel_headers_mode.h"
#include "config/ini.h"

namespace bcc::config {

// Cluster numbers are 12 bits. bcc.conf sections use 0 to kMaxModuleCluster;
// the range above is reserved: the agent's own metric groups at the top, and
// below them the clusters given to programs registered at run time.
constexpr unsigned kStatusCluster = 4095;        // bcc.pmda.module.*
constexpr unsigned kProgramStatsCluster = 4094;  // bcc.pmda.prog.*, bcc.pmda.map.*
constexpr unsigned kControlCluster = 4093;       // bcc.control.*, bcc.info.*
constexpr unsigned kFirstReservedCluster = 3840;
constexpr unsigned kFirstDynamicCluster = kFirstReservedCluster;  // registered programs
constexpr unsigned kLastDynamicCluster = 4031;
constexpr unsigned kMaxModuleCluster = kFirstReservedCluster - 1;

// Programs registered at run time through pmstore (bcc.control.register).
struct DynamicLimits {
  bool allowed = false;                // [pmda] allow_dynamic
  uint64_t max_program_size = 65536;   // bytes of program text
  unsigned max_programs = 8;           // registered at once (failed ones excluded)
  unsigned compile_timeout = 30;       // seconds for compiling and attaching one program
  unsigned expiry = 600;               // seconds an unnamed, unfetched program lives; 0: forever
};

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
  KernelHeaders kernel_headers = KernelHeaders::automatic;  // what programs compile against
  std::vector<std::string> allowed_users;   // besides root, may pmstore
  std::vector<std::string> register_users;  // besides root, may register programs (root!)
  DynamicLimits dynamic;
  std::vector<ModuleSection> modules;  // in the order of [pmda] modules
  std::vector<std::string> warnings;   // worth a log line, not an error
};

// Errors in [pmda] or the file as a whole throw ConfigError; an error in one
// module's section is recorded as that module's `problem`, so that with
// module_failure_fatal = False the others can still run.
AgentConfig make_agent_config(IniFile ini, const std::vector<std::string>& known_types);

}  // namespace bcc::config
