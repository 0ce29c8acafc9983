// pmdabpf's `pid` and `uid` options: one process (its tgid) or one user,
// tested in the kernel, where the program sees -DFILTER_PID=N and
// -DFILTER_UID=N while the option is set (unset by default: everyone).
#pragma once

#include <string>
#include <vector>

#include "module/options.h"
#include "module/spec.h"

namespace bcc {

OptionSpec pid_option(std::string help);
OptionSpec uid_option(std::string help);

// FILTER_PID and FILTER_UID for those of the two options the module
// declares and the section sets.
std::vector<std::string> id_filter_defines(const ModuleOptions& options);

}  // namespace bcc
