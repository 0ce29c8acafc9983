// Program text from users (bcc.conf's custom programs, pmstore registrations)
// and the compiler's answer about it: the export annotations, the include and
// table policy, and the mapping of compiler messages back to the lines as
// written. The input is the program; its second half, after a NUL, is taken
// as the compiler's output for it.
#include <cstdint>
#include <stdexcept>
#include <string>

#include "bpf/compile_errors.h"
#include "custom/export_spec.h"
#include "loader/source_policy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  size_t split = input.find('\0');
  std::string source = input.substr(0, split);
  std::string output = split == std::string::npos ? input : input.substr(split + 1);
  try {
    bcc::program_exports(source.substr(0, source.find('\n')), source);
  } catch (const std::invalid_argument&) {
  } catch (const std::length_error&) {
  }
  for (auto policy : {bcc::loader::SourcePolicy::registered, bcc::loader::SourcePolicy::custom}) {
    std::string problem = bcc::loader::policy_problem(source, policy, "/nonexistent");
    // a refusal names its line
    if (!problem.empty() && problem.rfind("line ", 0) != 0) __builtin_trap();
  }
  bcc::compile_errors(output, source);
  return 0;
}
