// exectop on fake maps: bcc.proc.exec.count has one instance per command name,
// the `execs` hash's key (struct comm_key { char comm[16]; }) up to its first
// NUL, valued by the entry's u64 count. Names are whatever the process set
// (prctl PR_SET_NAME): the module passes the bytes on as they are (the agent
// escapes them later, see src/pmda/instances.h).
#include <cstring>

#include "module_harness.h"

using namespace bcc;
using bcc::testing::by_instance;
using bcc::testing::ModuleHarness;
using bcc::testing::Values;

namespace {

MapEntry exec_count(const std::string& comm, uint64_t count) {
  std::string key(16, '\0');
  std::memcpy(key.data(), comm.data(), std::min<size_t>(comm.size(), 16));
  std::string value(8, '\0');
  std::memcpy(value.data(), &count, 8);
  return {key, value};
}

TEST(Exectop, EachCommandNameWithItsCount) {
  ModuleHarness h("exectop");
  h.maps.contents["execs"] = {exec_count("bash", 12), exec_count("ls", 345),
                              exec_count("systemd-journal", 6)};  // 15 characters
  auto samples = h.fetch()["proc.exec.count"];
  EXPECT_EQ(samples.size(), 3u);
  EXPECT_EQ(by_instance(samples), (std::map<std::string, uint64_t>{
                                      {"bash", 12}, {"ls", 345}, {"systemd-journal", 6}}));
  EXPECT_EQ(h.maps.entry_reads["execs"], 1);
}

TEST(Exectop, NameStopsAtTheFirstNul) {
  ModuleHarness h("exectop");
  std::string key = std::string("cat\0junk", 8);
  h.maps.contents["execs"] = {exec_count(key, 9)};
  EXPECT_EQ(by_instance(h.fetch()["proc.exec.count"]),
            (std::map<std::string, uint64_t>{{"cat", 9}}));
}

TEST(Exectop, HostileNamesPassedOnRaw) {
  ModuleHarness h("exectop");
  const std::string spaced = "my prog\nx\t\x01\x7f!";  // 14 bytes
  const std::string full16 = "abcdefghijklmnop";       // no NUL in the key at all
  h.maps.contents["execs"] = {exec_count(spaced, 3), exec_count(full16, 4),
                              exec_count("", 5)};
  auto samples = h.fetch()["proc.exec.count"];
  // the "comm" decoder custom programs use: an empty name is counted as
  // "[empty]", not dropped
  EXPECT_EQ(by_instance(samples),
            (std::map<std::string, uint64_t>{{spaced, 3}, {full16, 4}, {"[empty]", 5}}));
  EXPECT_EQ(samples.size(), 3u);
}

}  // namespace
