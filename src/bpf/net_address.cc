#include "bpf/net_address.h"

#include <arpa/inet.h>

namespace bcc {

std::string address_text(uint16_t family, const uint8_t* bytes16) {
  char text[INET6_ADDRSTRLEN] = "";
  int af = family == kFamilyInet ? AF_INET : family == kFamilyInet6 ? AF_INET6 : -1;
  if (af < 0 || !inet_ntop(af, bytes16, text, sizeof(text))) return "";
  return text;
}

std::string flow_name(const std::string& laddr, uint16_t lport, const std::string& daddr,
                      uint16_t dport) {
  return laddr + ":" + std::to_string(lport) + "::" + daddr + ":" + std::to_string(dport);
}

}  // namespace bcc
