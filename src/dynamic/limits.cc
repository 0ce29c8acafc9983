#include "dynamic/limits.h"

namespace bcc::dynamic {

std::string limit_problem(const config::DynamicLimits& limits, size_t size, size_t registered) {
  if (!limits.allowed)
    return "registering programs at run time is off; set [pmda] allow_dynamic = True";
  if (size == 0) return "the program text is empty";
  if (size > limits.max_program_size)
    return "the program has " + std::to_string(size) + " bytes, more than [pmda] "
           "max_program_size = " + std::to_string(limits.max_program_size);
  if (registered >= limits.max_programs)
    return std::to_string(registered) + " programs are registered, [pmda] max_programs = " +
           std::to_string(limits.max_programs) + "; deregister one first";
  return "";
}

}  // namespace bcc::dynamic
