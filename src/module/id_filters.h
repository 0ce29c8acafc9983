// pmdabpf's `pid` and `uid` options: one process (its tgid) or one user,
// tested in the kernel, where the program sees -DTARGET_PID=N and
// -DTARGET_UID=N while the option is set (unset by default: everyone).
#pragma once

#include <string>
#include <vector>

#include "module/options.h"
#include "module/spec.h"

namespace bcc {

OptionSpec pid_option(std::string help);
OptionSpec uid_option(std::string help);

// TARGET_PID and TARGET_UID for those of the two options the module
// declares and the section sets.
std::vector<std::string> id_filter_defines(const ModuleOptions& options);

}  // namespace bcc
