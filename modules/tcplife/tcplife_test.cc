// tcplife on fake maps: each session record the program sends through its
// `sessions` perf buffer becomes a row, newest first, up to session_count;
// every column is a metric with instances "0" to "N-1", command names
// passed on raw.
#include <arpa/inet.h>

#include <cstring>

#include "event_rows.h"
#include "module_harness.h"
#include "socket_ends.h"
#include "tcplife.h"

using namespace bcc;
using bcc::testing::ModuleHarness;
using bcc::testing::send_record;
using bcc::testing::set_ends;

using bcc::testing::row_value;

namespace {

tcplife_session session(int af, const char* saddr, uint16_t lport, const char* daddr,
                        uint16_t dport, uint32_t pid, const char* comm) {
  tcplife_session s{};
  set_ends(s, af, saddr, lport, daddr, dport);
  s.pid = pid;
  s.tx_bytes = 100 + pid;
  s.rx_bytes = 200 + pid;
  s.span_us = 300 + pid;
  std::strncpy(s.comm, comm, sizeof(s.comm) - 1);
  return s;
}

TEST(Tcplife, EachClosedSessionIsARowNewestFirst) {
  ModuleHarness h("tcplife");
  send_record(h, session(AF_INET, "10.0.0.1", 40000, "10.0.0.2", 80, 7, "curl"));
  send_record(h, session(AF_INET6, "::1", 40001, "fe80::1", 443, 8, "a b\nc\x01"));
  auto values = h.fetch();
  EXPECT_EQ(values["proc.io.net.tcp.pid"].size(), 2u);
  EXPECT_EQ(row_value<uint64_t>(values, "proc.io.net.tcp.pid", 0), 8u);
  EXPECT_EQ(row_value<std::string>(values, "proc.io.net.tcp.comm", 0), "a b\nc\x01");  // raw
  EXPECT_EQ(row_value<std::string>(values, "proc.io.net.tcp.laddr", 0), "::1");
  EXPECT_EQ(row_value<std::string>(values, "proc.io.net.tcp.daddr", 0), "fe80::1");
  EXPECT_EQ(row_value<uint64_t>(values, "proc.io.net.tcp.dport", 0), 443u);
  EXPECT_EQ(row_value<uint64_t>(values, "proc.io.net.tcp.lport", 1), 40000u);
  EXPECT_EQ(row_value<std::string>(values, "proc.io.net.tcp.comm", 1), "curl");
  EXPECT_EQ(row_value<std::string>(values, "proc.io.net.tcp.laddr", 1), "10.0.0.1");
  EXPECT_EQ(row_value<uint64_t>(values, "proc.io.net.tcp.tx", 1), 107u);
  EXPECT_EQ(row_value<uint64_t>(values, "proc.io.net.tcp.rx", 1), 207u);
  EXPECT_EQ(row_value<uint64_t>(values, "proc.io.net.tcp.duration", 1), 307u);
}

TEST(Tcplife, KeepsSessionCountSessionsAndIgnoresShortRecords) {
  ModuleHarness h("tcplife", "session_count = 2\n");
  for (uint32_t pid = 1; pid <= 4; pid++)
    send_record(h, session(AF_INET, "10.0.0.1", 1000, "10.0.0.2", 22, pid, "ssh"));
  char shorter[8] = {};
  h.spec().perf_buffers().at(0).on_event(shorter, sizeof(shorter));
  auto values = h.fetch();
  ASSERT_EQ(values["proc.io.net.tcp.pid"].size(), 2u);
  EXPECT_EQ(row_value<uint64_t>(values, "proc.io.net.tcp.pid", 0), 4u);
  EXPECT_EQ(row_value<uint64_t>(values, "proc.io.net.tcp.pid", 1), 3u);
}

}  // namespace
