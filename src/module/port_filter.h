// Port filters (`dport`, `lport`): a comma list of ports becomes a
// function-like -D macro the program tests, e.g.
//   DPORT_ALLOWED(p)=((p) == 80 || (p) == 443)
// so the kernel drops other traffic before it costs anything.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bcc {

// Ports from the option's items; throws std::invalid_argument naming the
// item that is not a port (1 to 65535).
std::vector<uint16_t> parse_ports(const std::vector<std::string>& items);

// "MACRO(p)=((p) == 80 || (p) == 443)"; "" when `ports` is empty.
std::string port_macro(const std::string& macro, const std::vector<uint16_t>& ports);

}  // namespace bcc
