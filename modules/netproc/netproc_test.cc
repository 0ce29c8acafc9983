// netproc on fake maps: each process's eight counters from one struct
// netstats entry, named like PCP's proc agent.
#include <unistd.h>

#include <cstring>

#include "module/process_instances.h"
#include "module_harness.h"

using namespace bcc;
using bcc::testing::ModuleHarness;

namespace {

// struct netstats in netproc.bpf: eight u64 counters in this order
std::string netstats(uint64_t first) {
  std::string value(64, '\0');
  for (uint64_t i = 0; i < 8; i++) {
    uint64_t v = first + i;
    std::memcpy(value.data() + i * 8, &v, 8);
  }
  return value;
}

std::string pid_key(uint32_t pid) { return std::string(reinterpret_cast<char*>(&pid), 4); }

TEST(Netproc, EachCounterOfEachProcessFromItsEntry) {
  ModuleHarness netproc("netproc");
  uint32_t self = static_cast<uint32_t>(getpid());
  netproc.maps.contents["netstats"] = {{pid_key(self), netstats(100)}};
  auto values = netproc.fetch();
  const char* names[] = {"tcp.send.calls", "tcp.send.bytes", "tcp.recv.calls", "tcp.recv.bytes",
                         "udp.send.calls", "udp.send.bytes", "udp.recv.calls", "udp.recv.bytes"};
  std::string instance = process_instance_name(static_cast<int>(self));
  for (uint64_t i = 0; i < 8; i++) {
    const auto& samples = values["proc.net." + std::string(names[i])];
    ASSERT_EQ(samples.size(), 1u) << names[i];
    EXPECT_EQ(samples[0].instance, instance);
    EXPECT_EQ(std::get<uint64_t>(samples[0].value), 100 + i) << names[i];
  }
  EXPECT_EQ(netproc.maps.entry_reads["netstats"], 1);
}

}  // namespace
