// errno values by name and names by value ("ENOENT" <-> 2), as <errno.h>
// defines them for the C library the agent runs with.
#pragma once

#include <optional>
#include <string>

namespace bcc {

// "ENOENT", "2" or "-2" -> 2; nullopt for anything else.
std::optional<int> parse_errno(const std::string& text);
// 2 -> "ENOENT"; "" when the C library has no name for it.
std::string errno_name(int number);

}  // namespace bcc
