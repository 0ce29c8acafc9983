// Socket addresses as text, and flows named as the Python agent named them.
#include "bpf/net_address.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

using namespace bcc;

namespace {

TEST(NetAddress, Ipv4FromItsFirstFourBytes) {
  uint8_t bytes[16] = {127, 0, 0, 1, 0xff, 0xff};  // the rest is ignored
  EXPECT_EQ(address_text(kFamilyInet, bytes), "127.0.0.1");
}

TEST(NetAddress, Ipv6InItsShortForm) {
  uint8_t bytes[16];
  ASSERT_EQ(inet_pton(AF_INET6, "fe80::1:2", bytes), 1);
  EXPECT_EQ(address_text(kFamilyInet6, bytes), "fe80::1:2");
  ASSERT_EQ(inet_pton(AF_INET6, "::ffff:10.0.0.1", bytes), 1);
  EXPECT_EQ(address_text(kFamilyInet6, bytes), "::ffff:10.0.0.1");
}

TEST(NetAddress, OtherFamiliesHaveNoText) {
  uint8_t bytes[16] = {};
  EXPECT_EQ(address_text(1, bytes), "");
}

TEST(NetAddress, FlowNamesAsThePythonAgent) {
  EXPECT_EQ(flow_name("10.0.0.1", 22, "10.0.0.2", 51000), "10.0.0.1:22::10.0.0.2:51000");
  EXPECT_EQ(flow_name("::1", 8080, "::1", 40000), "::1:8080::::1:40000");
}

}  // namespace
