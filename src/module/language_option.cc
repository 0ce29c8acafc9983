#include "module/language_option.h"

#include "bpf/binaries.h"

#include <algorithm>

#include "bpf/runtime_language.h"
#include "config/ini.h"
#include "module/options.h"

namespace bcc {
namespace {

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

bool supports(const std::vector<std::string>& supported, const std::string& language) {
  return std::find(supported.begin(), supported.end(), language) != supported.end();
}

}  // namespace

OptionSpec language_option(const std::vector<std::string>& supported) {
  return text_option("language", "the runtime of the followed process: " + joined(supported) +
                                     " (default: detected from the process)");
}

void FollowedLanguage::configure(const ModuleOptions& options) {
  configured_ = options.is_set("language") ? options.text("language") : "";
  if (!configured_.empty() && !supports(supported_, configured_))
    throw config::ConfigError("language: '" + configured_ + "' is not one of " +
                              joined(supported_));
}

const std::string& FollowedLanguage::arm(const std::vector<int>& pids) {
  language_.clear();
  if (!configured_.empty()) return language_ = configured_;
  if (pids.empty()) return language_;
  std::string detected = runtime_language(pids.front());
  if (supports(supported_, detected)) return language_ = detected;
  throw config::ConfigError(
      "language of pid " + std::to_string(pids.front()) + " not recognised (detected '" +
      detected + "'; supported: " + joined(supported_) + "): set language");
}

std::vector<ProbeChain> runtime_probe_chains(int pid, const std::vector<RuntimeProbeUse>& uses) {
  std::vector<std::string> names;
  for (const RuntimeProbeUse& use : uses) names.push_back(use.probe);
  std::vector<UsdtInProcess> found = find_usdt_probes(pid, names);
  std::vector<ProbeChain> chains;
  for (size_t i = 0; i < uses.size(); i++) {
    std::string binary =
        found[i].binary.empty() ? "/proc/" + std::to_string(pid) + "/exe" : found[i].binary;
    chains.push_back({uses[i].probe + " pid " + std::to_string(pid),
                      {usdt(binary, found[i].provider, uses[i].probe, uses[i].function, pid)},
                      uses[i].optional});
  }
  return chains;
}

}  // namespace bcc
