#include "module/language_option.h"

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

void check_language_option(const ModuleOptions& options,
                           const std::vector<std::string>& supported) {
  if (options.is_set("language") && !supports(supported, options.text("language")))
    throw config::ConfigError("language: '" + options.text("language") + "' is not one of " +
                              joined(supported));
}

std::string language_to_follow(const ModuleOptions& options, const std::vector<int>& pids,
                               const std::vector<std::string>& supported) {
  if (options.is_set("language")) return options.text("language");
  if (pids.empty()) return "";
  std::string detected = runtime_language(pids.front());
  if (supports(supported, detected)) return detected;
  throw config::ConfigError(
      "language of pid " + std::to_string(pids.front()) + " not recognised (detected '" +
      detected + "'; supported: " + joined(supported) + "): set language");
}

}  // namespace bcc
