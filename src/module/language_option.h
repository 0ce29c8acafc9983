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

// A USDT probe of the runtime to attach in a followed process, and the
// program's function for it.
struct RuntimeProbeUse {
  std::string probe;  // "method__entry"
  std::string function;
  bool optional = false;
};
// Their probe chains in process `pid` ("method__entry pid 1234"), the
// process's binaries read once for all of them; a probe no binary carries
// is looked for in the executable (and fails to attach, saying so).
std::vector<ProbeChain> runtime_probe_chains(int pid, const std::vector<RuntimeProbeUse>& uses);

}  // namespace bcc
