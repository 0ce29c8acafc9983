// The `language` option of modules following a language runtime's USDT
// probes (ucalls, ustat): given in bcc.conf, or detected from the process
// followed, as the Python agent does.
#pragma once

#include <string>
#include <vector>

#include "module/spec.h"

namespace bcc {

// The option, its help listing `supported`.
OptionSpec language_option(const std::vector<std::string>& supported);

// Throws config::ConfigError when the option is set to a language not in
// `supported`.
void check_language_option(const ModuleOptions& options,
                           const std::vector<std::string>& supported);

// The language to follow `pids` in: the option when set, else the one the
// first process runs (bpf/runtime_language.h). Throws config::ConfigError,
// naming the process and what was detected, when that is not supported.
std::string language_to_follow(const ModuleOptions& options, const std::vector<int>& pids,
                               const std::vector<std::string>& supported);

// A runtime's USDT probe and the program function it runs.
struct RuntimeProbeUse {
  std::string probe;     // "method__entry"
  std::string function;  // in the module's program
  bool optional = false;
};

// The chains attaching `probes` in process `pid`, named "PROBE pid PID":
// each on the file of the process that defines it (its binaries' notes
// read once for all), else on its executable, where attaching then says
// the probe is missing.
std::vector<ProbeChain> runtime_probe_chains(int pid, const std::vector<RuntimeProbeUse>& probes);

}  // namespace bcc
