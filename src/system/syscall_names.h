// System call names by number for the running architecture, from
// libseccomp's tables ("read" for 0 on x86_64).
#pragma once

#include <string>

namespace bcc {

// The name, or "UNDEF<n>" (as the Python BCC agent named them) for a
// number the table does not know.
std::string syscall_name(long number);

}  // namespace bcc
