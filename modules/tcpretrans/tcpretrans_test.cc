// tcpretrans on fake maps: io.net.tcp.retrans.count per flow from the
// `retransmits` hash (struct flow key -> u64), instances
// "laddr:lport::daddr:dport" with IPv4, IPv6 and v4-mapped addresses in
// their text form, most retransmitting first, cut to flow_count.
#include <arpa/inet.h>

#include <cstring>

#include "map_bytes.h"
#include "module_harness.h"
#include "socket_ends.h"

using namespace bcc;
using bcc::testing::bytes_of;
using bcc::testing::ModuleHarness;

namespace {

// struct flow in tcpretrans.bpf
struct Flow {
  uint8_t saddr[16];
  uint8_t daddr[16];
  uint16_t family;
  uint16_t lport;
  uint16_t dport;
  uint16_t pad;
};
static_assert(sizeof(Flow) == 40);

MapEntry flow(int af, const char* saddr, uint16_t lport, const char* daddr, uint16_t dport,
              uint64_t count) {
  Flow f{};
  bcc::testing::set_ends(f, af, saddr, lport, daddr, dport);
  return {bytes_of(f), bytes_of(count)};
}

std::vector<std::pair<std::string, uint64_t>> listed(const std::vector<Sample>& samples) {
  std::vector<std::pair<std::string, uint64_t>> out;
  for (const Sample& s : samples) out.emplace_back(s.instance, std::get<uint64_t>(s.value));
  return out;
}

TEST(Tcpretrans, EachFlowNamedByItsAddressesAndPorts) {
  ModuleHarness h("tcpretrans");
  h.maps.contents["retransmits"] = {
      flow(AF_INET, "10.1.2.3", 22, "192.168.0.77", 51234, 7),
      flow(AF_INET6, "2001:db8::1", 443, "fe80::abcd:1", 40000, 31),
      flow(AF_INET6, "::ffff:10.0.0.1", 8080, "::1", 1, 19),
  };
  auto values = h.fetch();
  using L = std::vector<std::pair<std::string, uint64_t>>;
  EXPECT_EQ(listed(values["io.net.tcp.retrans.count"]),
            (L{{"2001:db8::1:443::fe80::abcd:1:40000", 31},
               {"::ffff:10.0.0.1:8080::::1:1", 19},
               {"10.1.2.3:22::192.168.0.77:51234", 7}}));
}

TEST(Tcpretrans, OnlyTheFlowCountMostRetransmittingFlows) {
  ModuleHarness h("tcpretrans", "flow_count = 2\n");
  h.maps.contents["retransmits"] = {
      flow(AF_INET, "10.0.0.1", 1000, "10.0.0.2", 80, 3),
      flow(AF_INET, "10.0.0.1", 1001, "10.0.0.2", 80, 900),
      flow(AF_INET, "10.0.0.1", 1002, "10.0.0.2", 80, 45),
  };
  auto values = h.fetch();
  using L = std::vector<std::pair<std::string, uint64_t>>;
  EXPECT_EQ(listed(values["io.net.tcp.retrans.count"]),
            (L{{"10.0.0.1:1001::10.0.0.2:80", 900}, {"10.0.0.1:1002::10.0.0.2:80", 45}}));
}

}  // namespace
