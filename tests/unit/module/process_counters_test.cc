// The stock collector of per-process counters on fake maps: each counter
// of each key from one read of its table, instance names passed on raw
// (however hostile the command names in them), exited processes kept for
// their grace, a reused pid reported as the new process, and one liveness
// check per process per fetch.
#include "module/process_counters.h"

#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <set>

#include "../../modules/fake_maps.h"
#include "bpf/map_snapshot.h"
#include "config/ini.h"
#include "module/options.h"

using namespace bcc;
using bcc::testing::FakeMaps;

namespace {

using Values = std::map<std::string, uint64_t>;

template <typename T>
std::string bytes(T value) {
  return std::string(reinterpret_cast<const char*>(&value), sizeof value);
}

// key: u32 pid, u32 slot (a second key per process); value: two u64 counters
MapEntry entry(uint32_t pid, uint32_t slot, uint64_t first, uint64_t second) {
  return {bytes(pid) + bytes(slot), bytes(first) + bytes(second)};
}

MetricSpec counter(const std::string& name) {
  return make_metric(name, PM_TYPE_U64, PM_SEM_COUNTER, count_units(), name, name);
}

// Command names a user may choose, in instance names "PID COMMAND" (a
// test changes one when its process execs or its pid is reused).
std::map<uint32_t, std::string> commands;

std::string command_instance(const std::string& key) {
  uint32_t pid = field<uint32_t>(key, 0);
  uint32_t slot = field<uint32_t>(key, 4);
  return std::to_string(pid) + " " + commands[pid] + "::" + std::to_string(slot);
}

// A collector with two counters of table "counts" and their sum, and the
// processes it considers running.
class ProcessCountersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    commands = {{100, "a b"}, {200, "line\nbreak"}, {300, std::string("ctl\x01") + "x"}};
    build(counters_);
  }

  void build(ProcessCounters& c) {
    c.table("counts", pid_in_key(), command_instance);
    metrics_ = {c.field_counter(counter("first"), "counts", 0),
                c.field_counter(counter("second"), "counts", 8),
                c.summed_counter(counter("sum"), "counts")};
    c.exited().set_running_check([this](int pid) {
      checks_++;
      return running_.count(pid) > 0;
    });
    maps_.shapes["counts"] = {BPF_MAP_TYPE_HASH, 8, 16, 64};
  }

  void configure(ProcessCounters& c, const std::string& keys) {
    std::vector<OptionSpec> declared{exited_grace_option(),
                                     flag_option(kRemoveStoppedOption, "keep them")};
    declared.back().default_value = "True";
    config::IniFile file = config::parse_ini_text("[m]\nmodule = m\n" + keys, "bcc.conf");
    c.configure(ModuleOptions(file, file.sections.at(0), declared));
  }

  std::map<std::string, Values> fetch(ProcessCounters& c) {
    std::vector<std::vector<Sample>> out(metrics_.size());
    std::vector<bool> serves;
    Collection collection(metrics_, serves, out);
    MapSnapshot snapshot(maps_);  // as a fetch reads them: each map once
    c.collect(snapshot, collection);
    std::map<std::string, Values> values;
    for (size_t i = 0; i < metrics_.size(); i++)
      for (const Sample& s : out[i]) values[metrics_[i].name][s.instance] = std::get<uint64_t>(s.value);
    return values;
  }
  std::map<std::string, Values> fetch() { return fetch(counters_); }

  ProcessCounters counters_;
  std::vector<MetricSpec> metrics_;
  FakeMaps maps_;
  std::set<int> running_{100, 200, 300};
  int checks_ = 0;
};

TEST_F(ProcessCountersTest, EachCounterOfEachKeyFromOneReadOfTheTable) {
  maps_.contents["counts"] = {entry(100, 1, 5, 6), entry(100, 2, 7, 8)};
  auto values = fetch();
  EXPECT_EQ(values["first"], (Values{{"100 a b::1", 5}, {"100 a b::2", 7}}));
  EXPECT_EQ(values["second"], (Values{{"100 a b::1", 6}, {"100 a b::2", 8}}));
  EXPECT_EQ(values["sum"], (Values{{"100 a b::1", 11}, {"100 a b::2", 15}}));
  EXPECT_EQ(maps_.entry_reads, (std::map<std::string, int>{{"counts", 1}}));
  EXPECT_TRUE(maps_.changes.empty());  // running: left in the map
  for (const MetricSpec& m : metrics_) EXPECT_FALSE(m.read) << m.name;
}

TEST_F(ProcessCountersTest, HostileCommandNamesArePassedOnRaw) {
  maps_.contents["counts"] = {entry(100, 0, 1, 0), entry(200, 0, 2, 0), entry(300, 0, 3, 0)};
  EXPECT_EQ(fetch()["first"], (Values{{"100 a b::0", 1},
                                      {"200 line\nbreak::0", 2},
                                      {std::string("300 ctl\x01x::0"), 3}}));
}

TEST_F(ProcessCountersTest, KeysWithoutANameAreLeftOut) {
  ProcessCounters c;
  c.table("counts", pid_in_key(), [](const std::string& key) {
    return field<uint32_t>(key, 4) == 0 ? std::string() : "kept";
  });
  metrics_ = {c.field_counter(counter("first"), "counts", 0)};
  maps_.contents["counts"] = {entry(100, 0, 1, 0), entry(100, 1, 2, 0)};
  EXPECT_EQ(fetch(c)["first"], (Values{{"kept", 2}}));
}

TEST_F(ProcessCountersTest, AnExitedProcessKeepsItsTotalsOutOfTheKernelMap) {
  configure(counters_, "");
  running_.erase(200);
  maps_.contents["counts"] = {entry(100, 0, 1, 0), entry(200, 0, 2, 0), entry(200, 1, 3, 0)};
  for (int fetch_number = 0; fetch_number < 2; fetch_number++) {
    EXPECT_EQ(fetch()["first"],
              (Values{{"100 a b::0", 1}, {"200 line\nbreak::0", 2}, {"200 line\nbreak::1", 3}}))
        << "fetch " << fetch_number;
    EXPECT_EQ(maps_.contents["counts"].size(), 1u);  // the running process's only
  }
}

TEST_F(ProcessCountersTest, WithoutGraceAnExitedProcessIsDroppedAtOnce) {
  configure(counters_, "exited_grace = 0\n");
  running_.erase(200);
  maps_.contents["counts"] = {entry(100, 0, 1, 0), entry(200, 0, 2, 0)};
  EXPECT_EQ(fetch()["first"], (Values{{"100 a b::0", 1}}));
  EXPECT_EQ(maps_.contents["counts"].size(), 1u);
}

TEST_F(ProcessCountersTest, LeftInTheKernelWhenTheModuleKeepsStoppedProcesses) {
  configure(counters_, std::string(kRemoveStoppedOption) + " = False\n");
  running_.erase(200);
  maps_.contents["counts"] = {entry(200, 0, 2, 0)};
  EXPECT_EQ(fetch()["first"], (Values{{"200 line\nbreak::0", 2}}));
  EXPECT_EQ(maps_.contents["counts"].size(), 1u);
  EXPECT_EQ(checks_, 0);
}

TEST_F(ProcessCountersTest, AReusedPidIsTheNewProcessNotTheOldOnesTotals) {
  configure(counters_, "");
  running_.erase(200);
  maps_.contents["counts"] = {entry(200, 0, 7, 0), entry(200, 1, 4, 0)};
  fetch();
  // a new process is given pid 200 (another command) and counts once
  running_.insert(200);
  commands[200] = "new one";
  maps_.contents["counts"] = {entry(200, 0, 1, 0)};
  EXPECT_EQ(fetch()["first"], (Values{{"200 new one::0", 1}}));
  EXPECT_EQ(counters_.exited().reused_pids(), (std::set<int>{200}));
}

// A collector that names a process once, when it is first seen (netproc),
// and forgets the name when the pid leaves or goes to a new process.
class NamesOnce : public ProcessCounters {
 public:
  void collect(Maps& maps, Collection& out) override {
    collect_exited(maps);
    std::map<uint32_t, std::string> kept;
    for (int pid : exited().known_pids())
      if (!exited().reused_pids().count(pid) && names_.count(pid)) kept[pid] = names_[pid];
    names_.swap(kept);
    fill(maps, out);
  }

 protected:
  std::string instance(const std::string& table, const std::string& key) override {
    uint32_t pid = field<uint32_t>(key, 0);
    if (!names_.count(pid)) names_[pid] = ProcessCounters::instance(table, key);
    return names_[pid];
  }

 private:
  std::map<uint32_t, std::string> names_;
};

TEST_F(ProcessCountersTest, ADerivedCollectorRenamesAReusedPid) {
  NamesOnce c;
  build(c);
  configure(c, "");
  maps_.contents["counts"] = {entry(300, 0, 1, 0)};
  EXPECT_EQ(fetch(c)["first"], (Values{{std::string("300 ctl\x01x::0"), 1}}));
  // the process execs another command: its name stays
  commands[300] = "exec'd";
  maps_.contents["counts"] = {entry(300, 0, 2, 0)};
  EXPECT_EQ(fetch(c)["first"], (Values{{std::string("300 ctl\x01x::0"), 2}}));
  // it exits (kept), and its pid goes to a new process
  running_.erase(300);
  fetch(c);
  running_.insert(300);
  commands[300] = "newcomer";
  maps_.contents["counts"] = {entry(300, 0, 9, 0)};
  EXPECT_EQ(fetch(c)["first"], (Values{{"300 newcomer::0", 9}}));
}

TEST_F(ProcessCountersTest, EachProcessIsCheckedOncePerFetch) {
  ProcessCounters c;
  c.table("counts", pid_in_key(), command_instance)
      .table("more", pid_in_key(), command_instance);
  metrics_ = {c.field_counter(counter("first"), "counts", 0),
              c.field_counter(counter("other"), "more", 0)};
  c.exited().set_running_check([this](int pid) {
    checks_++;
    return running_.count(pid) > 0;
  });
  maps_.shapes["more"] = maps_.shapes["counts"];
  running_.erase(200);
  // two processes, many entries each, in two tables
  for (uint32_t slot = 0; slot < 50; slot++)
    for (uint32_t pid : {100u, 200u}) {
      maps_.contents["counts"].push_back(entry(pid, slot, 1, 0));
      maps_.contents["more"].push_back(entry(pid, slot, 1, 0));
    }
  auto values = fetch(c);
  EXPECT_EQ(values["first"].size(), 100u);
  EXPECT_EQ(values["other"].size(), 100u);
  EXPECT_EQ(checks_, 2);
  checks_ = 0;
  fetch(c);  // the next fetch checks again (kept entries of pid 200 included)
  EXPECT_EQ(checks_, 2);
}

}  // namespace
