#include "module/id_filters.h"

#include <utility>

namespace bcc {

OptionSpec pid_option(std::string help) {
  // pid_max is at most 2^22
  return unset_number_option("pid", std::move(help), 1, 4194304);
}

OptionSpec uid_option(std::string help) {
  // (uid_t)-1 is no user
  return unset_number_option("uid", std::move(help), 0, 4294967294u);
}

std::vector<std::string> id_filter_defines(const ModuleOptions& options) {
  std::vector<std::string> out;
  for (const auto& [option, macro] : {std::pair<const char*, const char*>{"pid", "TARGET_PID"},
                                      {"uid", "TARGET_UID"}})
    if (options.declares(option) && options.is_set(option))
      out.push_back(std::string(macro) + "=" + std::to_string(options.number(option)));
  return out;
}

}  // namespace bcc
