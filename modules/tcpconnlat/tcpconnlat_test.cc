// tcpconnlat on fake maps: each record the program sends through its
// `events` perf buffer becomes a row, newest first, up to process_count,
// latency in microseconds with fractions; command names passed on raw;
// lost records counted in tcpconnlat.lost; min_us and pid become the
// program's filters.
#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

#include "event_rows.h"
#include "module_harness.h"
#include "socket_ends.h"
#include "tcpconnlat.h"

using namespace bcc;
using bcc::testing::ModuleHarness;
using bcc::testing::send_record;
using bcc::testing::set_ends;

using bcc::testing::contains;
using bcc::testing::row_value;

namespace {

tcpconnlat_event connection(int af, const char* saddr, uint16_t lport, const char* daddr,
                            uint16_t dport, uint32_t pid, const char* comm) {
  tcpconnlat_event e{};
  set_ends(e, af, saddr, lport, daddr, dport);
  e.pid = pid;
  e.latency_ns = 1000 * pid + 500;
  std::strncpy(e.comm, comm, sizeof(e.comm) - 1);
  return e;
}

TEST(Tcpconnlat, EachConnectionIsARowNewestFirst) {
  ModuleHarness h("tcpconnlat");
  send_record(h, connection(AF_INET, "10.0.0.1", 40000, "10.0.0.2", 80, 7, "curl"));
  send_record(h, connection(AF_INET6, "::1", 40001, "2001:db8::5", 443, 8, "a b\nc\x01"));
  auto values = h.fetch();
  EXPECT_EQ(values["tcpconnlat.pid"].size(), 2u);
  EXPECT_EQ(row_value<uint64_t>(values, "tcpconnlat.pid", 0), 8u);
  EXPECT_EQ(row_value<std::string>(values, "tcpconnlat.comm", 0), "a b\nc\x01");  // raw
  EXPECT_EQ(row_value<uint64_t>(values, "tcpconnlat.ipversion", 0), 6u);
  EXPECT_EQ(row_value<std::string>(values, "tcpconnlat.saddr", 0), "::1");
  EXPECT_EQ(row_value<std::string>(values, "tcpconnlat.daddr", 0), "2001:db8::5");
  EXPECT_EQ(row_value<uint64_t>(values, "tcpconnlat.lport", 0), 40001u);
  EXPECT_EQ(row_value<uint64_t>(values, "tcpconnlat.dport", 0), 443u);
  EXPECT_DOUBLE_EQ(row_value<double>(values, "tcpconnlat.lat", 0), 8.5);
  EXPECT_EQ(row_value<uint64_t>(values, "tcpconnlat.ipversion", 1), 4u);
  EXPECT_EQ(row_value<std::string>(values, "tcpconnlat.saddr", 1), "10.0.0.1");
  EXPECT_EQ(row_value<std::string>(values, "tcpconnlat.comm", 1), "curl");
  EXPECT_DOUBLE_EQ(row_value<double>(values, "tcpconnlat.lat", 1), 7.5);
  EXPECT_EQ(std::get<uint64_t>(values["tcpconnlat.lost"].at(0).value), 0u);
}

TEST(Tcpconnlat, KeepsProcessCountRowsIgnoresShortRecordsCountsLost) {
  ModuleHarness h("tcpconnlat", "process_count = 3\n");
  for (uint32_t pid = 1; pid <= 5; pid++)
    send_record(h, connection(AF_INET, "10.0.0.1", 1000, "10.0.0.2", 22, pid, "ssh"));
  char shorter[16] = {};
  h.spec().perf_buffers().at(0).on_event(shorter, sizeof(shorter));
  h.spec().perf_buffers().at(0).on_lost(3);
  auto values = h.fetch();
  ASSERT_EQ(values["tcpconnlat.pid"].size(), 3u);
  EXPECT_EQ(row_value<uint64_t>(values, "tcpconnlat.pid", 0), 5u);
  EXPECT_EQ(row_value<uint64_t>(values, "tcpconnlat.pid", 2), 3u);
  EXPECT_EQ(std::get<uint64_t>(values["tcpconnlat.lost"].at(0).value), 3u);
}

TEST(Tcpconnlat, DescriptorsArePmdabpfs) {
  ModuleHarness h("tcpconnlat");
  ASSERT_EQ(h.spec().metrics().size(), 9u);
  for (const MetricSpec& m : h.spec().metrics()) {
    if (m.name == "tcpconnlat.lat") {
      EXPECT_EQ(m.type, PM_TYPE_DOUBLE);
      EXPECT_EQ(m.units.dimTime, 1);
      EXPECT_EQ(m.units.scaleTime, PM_TIME_USEC);
    }
    if (m.name == "tcpconnlat.pid") {
      EXPECT_EQ(m.semantics, PM_SEM_DISCRETE);
    }
  }
}

TEST(Tcpconnlat, MinUsDefaultsTo100AndPidFilters) {
  ModuleHarness plain("tcpconnlat");
  EXPECT_TRUE(contains(plain.spec().defines(plain.options()), "MIN_NS=100000ull"));
  ModuleHarness all("tcpconnlat", "min_us = 0\npid = 9\n");
  std::vector<std::string> defines = all.spec().defines(all.options());
  EXPECT_FALSE(std::any_of(defines.begin(), defines.end(),
                           [](const std::string& d) { return d.rfind("MIN_NS", 0) == 0; }));
  EXPECT_TRUE(contains(defines, "TARGET_PID=9"));
}

}  // namespace
