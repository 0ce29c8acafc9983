// Kernel struct field offsets from the running kernel's BTF: the installed
// headers may not match the kernel, BTF always does.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace bcc {

// Byte offset of `path` ("__sk_common.skc_rcv_saddr") inside `struct name`,
// following anonymous unions and structs; nullopt when the struct or field
// is not in /sys/kernel/btf/vmlinux (or there is no BTF).
std::optional<uint32_t> btf_field_offset(const std::string& struct_name, const std::string& path);

}  // namespace bcc
