// `[pmda] kernel_headers`: what BPF programs are compiled against
// (bpf/kernel_headers.h says what each choice means on the running kernel).
#pragma once

#include <optional>
#include <string>

namespace bcc {

enum class KernelHeaders {
  automatic,  // "auto": installed headers when they match the running kernel, else BTF
  btf,        // the running kernel's BTF, never installed headers
  installed,  // /lib/modules/$(uname -r)/{build,source} (or BCC_KERNEL_SOURCE), as libbcc finds them
};
const char* kernel_headers_name(KernelHeaders mode);  // "auto", "btf", "installed"
std::optional<KernelHeaders> parse_kernel_headers(const std::string& text);

}  // namespace bcc
