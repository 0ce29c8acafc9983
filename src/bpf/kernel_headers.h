// Which kernel headers BPF programs are compiled against: the installed
// headers of the running kernel, or a tree made from the kernel's own BTF
// (src/loader/btf_tree.h). `[pmda] kernel_headers` chooses.
#pragma once

#include <string>

#include "config/kernel_headers_mode.h"

namespace bcc {

constexpr char kKernelBtf[] = "/sys/kernel/btf/vmlinux";
// where the loader keeps the trees it makes from BTF, one per kernel build
constexpr char kKernelHeaderCache[] = "/var/cache/pcp/pmdabcc";

// A log line about the installed headers libbcc would compile against, or ""
// when they match the running kernel.
std::string installed_headers_problem();

struct HeaderSource {
  bool btf = false;         // compile against the tree made from BTF
  std::string description;  // what programs are compiled against, for logs and --check
  // btf: why BTF cannot be used (then nothing can be compiled);
  // installed: what is wrong with the headers (missing, or for another kernel)
  std::string problem;
  // false: nothing can be compiled (no BTF, or no headers at all); problem says why
  bool compiles = true;
};

// What `mode` means on the running kernel.
HeaderSource choose_kernel_headers(KernelHeaders mode);

}  // namespace bcc
