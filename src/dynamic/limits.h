// The [pmda] limits a registration is checked against before anything is
// compiled.
#pragma once

#include <cstddef>
#include <string>

#include "config/agent_config.h"

namespace bcc::dynamic {

// "" when a program of `size` bytes may be registered while `registered`
// programs hold a place (compiling or running); otherwise why not, naming
// the [pmda] key to change.
std::string limit_problem(const config::DynamicLimits& limits, size_t size, size_t registered);

}  // namespace bcc::dynamic
