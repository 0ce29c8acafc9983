#include "bpf/runtime_language.h"

#include <bcc/bcc_proc.h>

namespace bcc {

std::string runtime_language(int pid) {
  const char* language = bcc_procutils_language(pid);
  return language ? language : "";
}

}  // namespace bcc
