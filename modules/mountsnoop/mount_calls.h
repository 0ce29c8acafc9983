// A mountsnoop record as text, the way pmdabpf's mountsnoop (BCC's tool)
// shows it: the operation's name, the return value ("0", "-ENOENT"), the
// flags by name ("MS_RDONLY | MS_NOSUID", "0x0"), the call as written in C.
#pragma once

#include <string>

#include "mountsnoop.h"

namespace bcc {

std::string mount_op_name(const mountsnoop_event& e);
std::string mount_return_text(int ret);
std::string mount_flags_text(const mountsnoop_event& e);
std::string mount_call_text(const mountsnoop_event& e);

}  // namespace bcc
