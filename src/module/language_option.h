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

// The language a module follows its processes in: the option when set,
// else the one the first process runs (bpf/runtime_language.h), found each
// time the module is armed. A collector's member: configure, then arm in
// its defines, then language() in its probes.
class FollowedLanguage {
 public:
  explicit FollowedLanguage(std::vector<std::string> supported)
      : supported_(std::move(supported)) {}
  // Throws config::ConfigError when the option is set to a language not
  // supported.
  void configure(const ModuleOptions& options);
  // The language to follow `pids` in ("" with neither the option nor a
  // pid), kept for language(). Throws config::ConfigError, naming the
  // process and what was detected, when that is not supported.
  const std::string& arm(const std::vector<int>& pids);
  // What the last arm found ("" before one).
  const std::string& language() const { return language_; }

 private:
  std::vector<std::string> supported_;
  std::string configured_;  // the option, "" when unset
  std::string language_;
};

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
