#include "config/kernel_headers_mode.h"

namespace bcc {

const char* kernel_headers_name(KernelHeaders mode) {
  switch (mode) {
    case KernelHeaders::automatic: return "auto";
    case KernelHeaders::btf: return "btf";
    case KernelHeaders::installed: return "installed";
  }
  return "?";
}

std::optional<KernelHeaders> parse_kernel_headers(const std::string& text) {
  for (KernelHeaders m : {KernelHeaders::automatic, KernelHeaders::btf, KernelHeaders::installed})
    if (text == kernel_headers_name(m)) return m;
  return std::nullopt;
}

}  // namespace bcc
