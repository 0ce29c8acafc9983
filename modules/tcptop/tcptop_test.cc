// tcptop on fake maps: the proc.io.net.tcptop.* columns of each connection
// from the `flows` hash (struct flow -> struct traffic { rx; tx; }),
// instances "0" (busiest by rx + tx) to "N-1", cut to conn_count; entries
// of one connection summed; comm read from /proc/PID/comm (the pid when the
// process is gone), including a command name with spaces, a newline and
// control characters. With an interval, a fetch shows the last complete
// one (the epoch in each key) and deletes older ones; with interval = 0
// every fetch takes and clears all.
#include <arpa/inet.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <fstream>

#include "map_bytes.h"
#include "module_harness.h"
#include "socket_ends.h"

using namespace bcc;
using bcc::testing::bytes_of;
using bcc::testing::ModuleHarness;
using bcc::testing::u64s;

namespace {

// struct flow in tcptop.bpf
struct TopFlow {
  uint8_t saddr[16];
  uint8_t daddr[16];
  uint64_t epoch;
  uint32_t pid;
  uint16_t family;
  uint16_t lport;
  uint16_t dport;
  uint16_t pad[3];
};
static_assert(sizeof(TopFlow) == 56);

MapEntry flow(uint32_t pid, int af, const char* saddr, uint16_t lport, const char* daddr,
              uint16_t dport, uint64_t rx, uint64_t tx, uint64_t epoch = 0) {
  TopFlow f{};
  f.pid = pid;
  bcc::testing::set_ends(f, af, saddr, lport, daddr, dport);
  f.epoch = epoch;
  return {bytes_of(f), u64s({rx, tx})};
}

ModuleHarness& shaped(ModuleHarness& h) {
  h.maps.shapes["flows"] = {BPF_MAP_TYPE_LRU_HASH, sizeof(TopFlow), 16, 10240};
  return h;
}

std::string own_comm() {
  std::ifstream in("/proc/self/comm");
  std::string name;
  std::getline(in, name);
  return name;
}

// One column as a list of values, instances checked to be "0".."N-1".
template <typename T>
std::vector<T> column(std::map<std::string, std::vector<Sample>>& values, const std::string& c) {
  std::vector<T> out;
  const auto& samples = values["proc.io.net.tcptop." + c];
  for (size_t i = 0; i < samples.size(); i++) {
    EXPECT_EQ(samples[i].instance, std::to_string(i)) << c;
    out.push_back(std::get<T>(samples[i].value));
  }
  return out;
}

const uint32_t kGone = 2000000000;  // no process has this pid

TEST(Tcptop, EachConnectionBusiestFirst) {
  ModuleHarness h("tcptop", "interval = 0\n");
  shaped(h);
  uint32_t self = getpid();
  h.maps.contents["flows"] = {
      flow(self, AF_INET, "10.0.0.5", 5432, "10.0.0.9", 41000, 100, 200),
      flow(kGone, AF_INET6, "2001:db8::5", 443, "2001:db8::77", 50123, 7000, 11),
      flow(self, AF_INET, "127.0.0.1", 22, "127.0.0.1", 60000, 1, 2),
  };
  auto v = h.fetch();
  using U = std::vector<uint64_t>;
  using S = std::vector<std::string>;
  EXPECT_EQ(column<uint64_t>(v, "pid"), (U{kGone, self, self}));
  EXPECT_EQ(column<std::string>(v, "comm"), (S{"2000000000", own_comm(), own_comm()}));
  EXPECT_EQ(column<std::string>(v, "laddr"), (S{"2001:db8::5", "10.0.0.5", "127.0.0.1"}));
  EXPECT_EQ(column<uint64_t>(v, "lport"), (U{443, 5432, 22}));
  EXPECT_EQ(column<std::string>(v, "daddr"), (S{"2001:db8::77", "10.0.0.9", "127.0.0.1"}));
  EXPECT_EQ(column<uint64_t>(v, "dport"), (U{50123, 41000, 60000}));
  EXPECT_EQ(column<uint64_t>(v, "rx"), (U{7000, 100, 1}));
  EXPECT_EQ(column<uint64_t>(v, "tx"), (U{11, 200, 2}));
  // interval = 0: taken, and cleared for the next fetch
  EXPECT_TRUE(h.maps.contents["flows"].empty());
  EXPECT_TRUE(h.fetch()["proc.io.net.tcptop.rx"].empty());
}

TEST(Tcptop, SameConnectionSummedAndCutToConnCount) {
  ModuleHarness h("tcptop", "interval = 0\nconn_count = 2\n");
  shaped(h);
  h.maps.contents["flows"] = {
      flow(kGone, AF_INET, "10.0.0.1", 1, "10.0.0.2", 2, 10, 20, /*epoch=*/5),
      flow(kGone, AF_INET, "10.0.0.1", 1, "10.0.0.2", 2, 300, 400, /*epoch=*/6),
      flow(kGone, AF_INET, "10.0.0.1", 3, "10.0.0.2", 4, 500, 0),
      flow(kGone, AF_INET, "10.0.0.1", 5, "10.0.0.2", 6, 1, 1),
  };
  auto v = h.fetch();
  EXPECT_EQ(column<uint64_t>(v, "lport"), (std::vector<uint64_t>{1, 3}));
  EXPECT_EQ(column<uint64_t>(v, "rx"), (std::vector<uint64_t>{310, 500}));
  EXPECT_EQ(column<uint64_t>(v, "tx"), (std::vector<uint64_t>{420, 0}));
}

TEST(Tcptop, WithAnIntervalOnlyTheLastCompleteOneAndOlderOnesDeleted) {
  ModuleHarness h("tcptop", "interval = 1\n");
  shaped(h);
  auto v = h.fetch_in_one_interval(1, [&](uint64_t current) {
    h.maps.contents["flows"] = {
        flow(kGone, AF_INET, "10.0.0.1", 1, "10.0.0.2", 2, 11, 0, current),      // running
        flow(kGone, AF_INET, "10.0.0.1", 3, "10.0.0.2", 4, 22, 0, current - 1),  // complete
        flow(kGone, AF_INET, "10.0.0.1", 5, "10.0.0.2", 6, 33, 0, current - 2),  // older
        flow(kGone, AF_INET, "10.0.0.1", 7, "10.0.0.2", 8, 44, 0, current - 9),  // older
    };
  });
  EXPECT_EQ(column<uint64_t>(v, "rx"), (std::vector<uint64_t>{22}));
  EXPECT_EQ(column<uint64_t>(v, "lport"), (std::vector<uint64_t>{3}));
  // the running interval and the complete one stay; the older ones are deleted
  std::vector<uint64_t> lports;
  for (const MapEntry& e : h.maps.contents["flows"])
    lports.push_back(reinterpret_cast<const TopFlow*>(e.key.data())->lport);
  EXPECT_EQ(lports, (std::vector<uint64_t>{1, 3}));
}

TEST(Tcptop, IntervalZeroShowsWhatCameSinceThePreviousFetch) {
  ModuleHarness h("tcptop", "interval = 0\n");
  shaped(h);
  h.maps.contents["flows"] = {flow(kGone, AF_INET, "10.0.0.1", 1, "10.0.0.2", 2, 10, 20)};
  auto first = h.fetch();
  EXPECT_EQ(column<uint64_t>(first, "rx"), (std::vector<uint64_t>{10}));
  h.maps.contents["flows"].push_back(flow(kGone, AF_INET, "10.0.0.1", 3, "10.0.0.2", 4, 5, 6));
  auto v = h.fetch();
  EXPECT_EQ(column<uint64_t>(v, "lport"), (std::vector<uint64_t>{3}));
  EXPECT_EQ(column<uint64_t>(v, "rx"), (std::vector<uint64_t>{5}));
  EXPECT_TRUE(h.maps.contents["flows"].empty());
}

// Sets this process's command name (what /proc/self/comm shows) for a test.
struct CommandName {
  char saved[16] = {};
  explicit CommandName(const char* name) {
    prctl(PR_GET_NAME, saved);
    prctl(PR_SET_NAME, name);
  }
  ~CommandName() { prctl(PR_SET_NAME, saved); }
};

TEST(Tcptop, CommandNameWithSpacesNewlineAndControlCharacters) {
  CommandName weird("a b\x01\x7f\n\tz");  // 15 bytes at most
  for (const char* keys : {"interval = 0\n", "interval = 1\n"}) {
    ModuleHarness h("tcptop", keys);
    shaped(h);
    auto v = h.fetch_in_one_interval(1, [&](uint64_t current) {
      uint64_t epoch = h.options().number("interval") ? current - 1 : 0;
      h.maps.contents["flows"] = {
          flow(getpid(), AF_INET, "10.0.0.1", 1, "10.0.0.2", 2, 5, 5, epoch)};
    });
    // Today: the first line of /proc/PID/comm, so the name stops at its
    // newline ("\tz" is lost); spaces and control characters pass through.
    EXPECT_EQ(column<std::string>(v, "comm"), (std::vector<std::string>{"a b\x01\x7f"}))
        << keys;
  }
}

}  // namespace
