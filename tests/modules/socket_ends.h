// A TCP record's two ends as the network programs write them (tcplife,
// tcptop, tcpretrans): family 2 (AF_INET) or 10 (AF_INET6), addresses in
// 16 bytes (IPv4 in the first 4), ports in host order.
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <cstdint>

namespace bcc::testing {

template <typename Record>
void set_ends(Record& r, int af, const char* saddr, uint16_t lport, const char* daddr,
              uint16_t dport) {
  r.family = af == AF_INET ? 2 : 10;
  EXPECT_EQ(inet_pton(af, saddr, r.saddr), 1) << saddr;
  EXPECT_EQ(inet_pton(af, daddr, r.daddr), 1) << daddr;
  r.lport = lport;
  r.dport = dport;
}

}  // namespace bcc::testing
