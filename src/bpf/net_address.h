// Socket addresses as BPF programs hand them over: an address family and
// 16 bytes, of which IPv4 uses the first 4 (network byte order, as in the
// kernel's sockets and tracepoints).
#pragma once

#include <cstdint>
#include <string>

namespace bcc {

constexpr uint16_t kFamilyInet = 2;    // AF_INET
constexpr uint16_t kFamilyInet6 = 10;  // AF_INET6

// The kernel's usual text form: "127.0.0.1", "::1", "::ffff:10.0.0.1";
// "" for another family.
std::string address_text(uint16_t family, const uint8_t* bytes16);

// "saddr:lport::daddr:dport", the Python agent's name for a TCP flow.
std::string flow_name(const std::string& laddr, uint16_t lport, const std::string& daddr,
                      uint16_t dport);

}  // namespace bcc
