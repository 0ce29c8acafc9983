// Where the parts of a running module write their log lines: a priority
// (syslog's LOG_*) and the text. The module prefixes "module [NAME]: " and
// hands them to PCP's log; tests keep them.
#pragma once

#include <syslog.h>

#include <functional>
#include <string>

namespace bcc {

using ModuleLog = std::function<void(int priority, const std::string& line)>;

}  // namespace bcc
