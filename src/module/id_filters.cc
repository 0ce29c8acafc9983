#include "module/id_filters.h"

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
  std::vector<std::pair<std::string, std::string>> declared;
  for (const char* option : {"pid", "uid"})
    if (options.declares(option))
      declared.emplace_back(option, option == std::string("pid") ? "TARGET_PID" : "TARGET_UID");
  return number_defines(options, declared);
}

}  // namespace bcc
