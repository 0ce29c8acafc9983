// tcpconnect on fake maps: each record the program sends through its
// `events` perf buffer becomes a row, newest first, up to process_count;
// command names passed on raw; lost records counted in tcpconnect.lost;
// the pid, uid and port options become the program's filters.
#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

#include "event_rows.h"
#include "module_harness.h"
#include "tcpconnect.h"

using namespace bcc;
using bcc::testing::ModuleHarness;
using bcc::testing::send_record;

using bcc::testing::contains;
using bcc::testing::row_value;

namespace {

tcpconnect_event connection(int af, const char* saddr, const char* daddr, uint16_t dport,
                            uint32_t pid, const char* comm) {
  tcpconnect_event e{};
  e.family = af == AF_INET ? 2 : 10;
  EXPECT_EQ(inet_pton(af, saddr, e.saddr), 1);
  EXPECT_EQ(inet_pton(af, daddr, e.daddr), 1);
  e.dport = dport;
  e.pid = pid;
  e.uid = 1000 + pid;
  std::strncpy(e.comm, comm, sizeof(e.comm) - 1);
  return e;
}

TEST(Tcpconnect, EachConnectionIsARowNewestFirst) {
  ModuleHarness h("tcpconnect");
  send_record(h, connection(AF_INET, "10.0.0.1", "10.0.0.2", 80, 7, "curl"));
  send_record(h, connection(AF_INET6, "fe80::2", "2001:db8::1", 443, 8, "a b\nc\x01"));
  auto values = h.fetch();
  EXPECT_EQ(values["tcpconnect.pid"].size(), 2u);
  EXPECT_EQ(row_value<uint64_t>(values, "tcpconnect.pid", 0), 8u);
  EXPECT_EQ(row_value<std::string>(values, "tcpconnect.comm", 0), "a b\nc\x01");  // raw
  EXPECT_EQ(row_value<uint64_t>(values, "tcpconnect.ipversion", 0), 6u);
  EXPECT_EQ(row_value<std::string>(values, "tcpconnect.saddr", 0), "fe80::2");  // all 16 bytes
  EXPECT_EQ(row_value<std::string>(values, "tcpconnect.daddr", 0), "2001:db8::1");
  EXPECT_EQ(row_value<uint64_t>(values, "tcpconnect.dport", 0), 443u);
  EXPECT_EQ(row_value<uint64_t>(values, "tcpconnect.uid", 0), 1008u);
  EXPECT_EQ(row_value<uint64_t>(values, "tcpconnect.pid", 1), 7u);
  EXPECT_EQ(row_value<std::string>(values, "tcpconnect.comm", 1), "curl");
  EXPECT_EQ(row_value<uint64_t>(values, "tcpconnect.ipversion", 1), 4u);
  EXPECT_EQ(row_value<std::string>(values, "tcpconnect.saddr", 1), "10.0.0.1");
  EXPECT_EQ(row_value<std::string>(values, "tcpconnect.daddr", 1), "10.0.0.2");
  EXPECT_EQ(row_value<uint64_t>(values, "tcpconnect.dport", 1), 80u);
  ASSERT_EQ(values["tcpconnect.lost"].size(), 1u);
  EXPECT_EQ(std::get<uint64_t>(values["tcpconnect.lost"][0].value), 0u);
}

TEST(Tcpconnect, AFullCommandNameHasNoTerminator) {
  ModuleHarness h("tcpconnect");
  tcpconnect_event e = connection(AF_INET, "127.0.0.1", "127.0.0.1", 22, 1, "");
  std::memcpy(e.comm, "0123456789abcdef", 16);  // no NUL within the 16 bytes
  send_record(h, e);
  auto values = h.fetch();
  EXPECT_EQ(row_value<std::string>(values, "tcpconnect.comm", 0), "0123456789abcdef");
}

TEST(Tcpconnect, KeepsProcessCountRowsIgnoresShortRecordsCountsLost) {
  ModuleHarness h("tcpconnect", "process_count = 2\n");
  for (uint32_t pid = 1; pid <= 4; pid++)
    send_record(h, connection(AF_INET, "10.0.0.1", "10.0.0.2", 22, pid, "ssh"));
  char shorter[8] = {};
  h.spec().perf_buffers().at(0).on_event(shorter, sizeof(shorter));
  h.spec().perf_buffers().at(0).on_lost(5);
  h.spec().perf_buffers().at(0).on_lost(2);
  auto values = h.fetch();
  ASSERT_EQ(values["tcpconnect.pid"].size(), 2u);
  EXPECT_EQ(row_value<uint64_t>(values, "tcpconnect.pid", 0), 4u);
  EXPECT_EQ(row_value<uint64_t>(values, "tcpconnect.pid", 1), 3u);
  EXPECT_EQ(std::get<uint64_t>(values["tcpconnect.lost"].at(0).value), 7u);
}

TEST(Tcpconnect, DescriptorsArePmdabpfs) {
  ModuleHarness h("tcpconnect");
  for (const MetricSpec& m : h.spec().metrics()) {
    int semantics = m.name == "tcpconnect.pid"    ? PM_SEM_DISCRETE
                    : m.name == "tcpconnect.lost" ? PM_SEM_COUNTER
                                                  : PM_SEM_INSTANT;
    EXPECT_EQ(m.semantics, semantics) << m.name;
    EXPECT_EQ(m.type, m.name == "tcpconnect.comm" || m.name.find("addr") != std::string::npos
                          ? PM_TYPE_STRING
                          : PM_TYPE_U32)
        << m.name;
  }
  EXPECT_EQ(h.spec().metrics().size(), 8u);
}

TEST(Tcpconnect, OptionsBecomeKernelFilters) {
  ModuleHarness plain("tcpconnect");
  EXPECT_FALSE(contains(plain.spec().defines(plain.options()), "TARGET_PID=42"));
  ModuleHarness h("tcpconnect", "pid = 42\nuid = 1000\nport = 80,443\n");
  std::vector<std::string> defines = h.spec().defines(h.options());
  EXPECT_TRUE(contains(defines, "TARGET_PID=42"));
  EXPECT_TRUE(contains(defines, "TARGET_UID=1000"));
  EXPECT_TRUE(contains(defines, "DPORT_ALLOWED(p)=((p) == 80 || (p) == 443)"));
  EXPECT_THROW(ModuleHarness("tcpconnect", "port = http\n"), config::ConfigError);
}

}  // namespace
