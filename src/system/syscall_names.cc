#include "system/syscall_names.h"

#include <seccomp.h>

#include <cstdlib>
#include <map>
#include <mutex>

namespace bcc {

std::string syscall_name(long number) {
  static std::mutex lock;
  static std::map<long, std::string> known;
  std::lock_guard<std::mutex> hold(lock);
  if (auto it = known.find(number); it != known.end()) return it->second;
  std::string name = "UNDEF" + std::to_string(number);
  if (number >= 0 && number <= INT32_MAX) {
    char* resolved = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, static_cast<int>(number));
    if (resolved) name = resolved;
    free(resolved);
  }
  return known[number] = name;
}

}  // namespace bcc
