// Processes that exited keep their final totals for the grace period, then
// retire; a pid given to a new process is not merged with the old one.
#include "module/exited_processes.h"

#include <bpf/bpf.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <set>
#include <stdexcept>

#include "config/ini.h"
#include "module/options.h"

using namespace bcc;
using namespace std::chrono_literals;

namespace {

using Clock = ExitedEntries::Clock;

template <typename T>
std::string bytes(T value) {
  return std::string(reinterpret_cast<const char*>(&value), sizeof value);
}

// syscount's layout: u32 pid, u32 syscall -> u64 count
MapEntry entry(uint32_t pid, uint32_t syscall, uint64_t count) {
  return {bytes(pid) + bytes(syscall), bytes(count)};
}

// pid -> value of the entries reported
std::map<uint32_t, uint64_t> reported(const std::vector<MapEntry>& entries) {
  std::map<uint32_t, uint64_t> out;
  for (const MapEntry& e : entries) out[field<uint32_t>(e.key, 0)] += field<uint64_t>(e.value, 0);
  return out;
}

class ExitedEntriesTest : public ::testing::Test {
 protected:
  std::vector<std::string> fetch(const std::vector<MapEntry>& kernel, Clock::duration after) {
    return exited_.update(kernel, pid_in_key(), [this](int pid) { return running_.count(pid) > 0; },
                          start_ + after, grace_);
  }
  ExitedEntries exited_;
  std::set<int> running_{100, 200};
  Clock::time_point start_ = Clock::now();
  Clock::duration grace_ = 300s;
};

TEST_F(ExitedEntriesTest, RunningProcessesStayInTheKernel) {
  std::vector<MapEntry> kernel{entry(100, 0, 5), entry(200, 1, 7)};
  EXPECT_TRUE(fetch(kernel, 0s).empty());
  EXPECT_EQ(exited_.size(), 0u);
  EXPECT_EQ(reported(exited_.with_kept(kernel)), (std::map<uint32_t, uint64_t>{{100, 5}, {200, 7}}));
}

TEST_F(ExitedEntriesTest, WithinGraceAnExitedProcessKeepsItsFinalValues) {
  running_.erase(200);  // it exited before this first fetch
  std::vector<MapEntry> kernel{entry(100, 0, 5), entry(200, 1, 7), entry(200, 2, 3)};
  std::vector<std::string> taken = fetch(kernel, 0s);
  // its entries leave the kernel map...
  EXPECT_EQ(taken, (std::vector<std::string>{kernel[1].key, kernel[2].key}));
  // ...and are reported from here, at this fetch and until the grace ends
  EXPECT_EQ(reported(exited_.with_kept({kernel[0]})),
            (std::map<uint32_t, uint64_t>{{100, 5}, {200, 10}}));
  EXPECT_TRUE(fetch({kernel[0]}, 299s).empty());
  EXPECT_EQ(reported(exited_.with_kept({kernel[0]})),
            (std::map<uint32_t, uint64_t>{{100, 5}, {200, 10}}));
}

TEST_F(ExitedEntriesTest, GraceElapsedTheProcessIsGone) {
  running_.erase(200);
  fetch({entry(200, 1, 7)}, 0s);
  fetch({}, 299s);
  EXPECT_EQ(exited_.size(), 1u);
  fetch({}, 300s);
  EXPECT_EQ(exited_.size(), 0u);
  EXPECT_TRUE(exited_.with_kept({}).empty());
}

TEST_F(ExitedEntriesTest, GraceCountsFromTheFetchThatNoticedTheExit) {
  fetch({entry(200, 1, 7)}, 0s);
  running_.erase(200);
  fetch({entry(200, 1, 9)}, 100s);  // noticed here
  fetch({}, 399s);
  EXPECT_EQ(reported(exited_.with_kept({})), (std::map<uint32_t, uint64_t>{{200, 9}}));
  fetch({}, 400s);
  EXPECT_TRUE(exited_.with_kept({}).empty());
}

TEST_F(ExitedEntriesTest, NoGraceDropsAtOnce) {
  grace_ = 0s;
  running_.erase(200);
  std::vector<MapEntry> kernel{entry(200, 1, 7)};
  EXPECT_EQ(fetch(kernel, 0s).size(), 1u);  // still taken out of the kernel
  EXPECT_TRUE(exited_.with_kept({}).empty());
}

TEST_F(ExitedEntriesTest, AReusedPidIsANewProcessNotMergedWithTheOld) {
  running_.erase(200);
  fetch({entry(200, 1, 7), entry(200, 2, 4)}, 0s);
  // a new process is given pid 200 and makes one call: the kernel's entry
  // starts from zero, since the old one was taken out
  running_.insert(200);
  std::vector<MapEntry> kernel{entry(200, 1, 1)};
  EXPECT_TRUE(fetch(kernel, 10s).empty());
  // neither 7 + 1 nor the old process's other call: the pid is the new one's
  EXPECT_EQ(exited_.size(), 0u);
  EXPECT_EQ(exited_.reused(), (std::set<int>{200}));
  EXPECT_EQ(reported(exited_.with_kept(kernel)), (std::map<uint32_t, uint64_t>{{200, 1}}));
}

TEST_F(ExitedEntriesTest, AReusedPidWithoutCountsYetRetiresTheOld) {
  running_.erase(200);
  fetch({entry(200, 1, 7)}, 0s);
  running_.insert(200);
  fetch({}, 10s);
  EXPECT_TRUE(exited_.with_kept({}).empty());
}

TEST_F(ExitedEntriesTest, CountsAfterTheExitAddToTheFinalValues) {
  // a block request completing after its submitter exited
  running_.erase(200);
  fetch({entry(200, 1, 7)}, 0s);
  EXPECT_EQ(fetch({entry(200, 1, 2)}, 5s).size(), 1u);
  EXPECT_EQ(reported(exited_.with_kept({})), (std::map<uint32_t, uint64_t>{{200, 9}}));
}

TEST(PidInKey, U32OrU64AtAnOffset) {
  std::string key = bytes(uint64_t{259}) + bytes(uint64_t{4321});
  EXPECT_EQ(pid_in_key(8, 8)(key), 4321);
  EXPECT_EQ(pid_in_key()(bytes(uint32_t{77}) + bytes(uint32_t{3})), 77);
}

// The section's options: the grace, and remove_stopped_processes only where
// the module declares it.
TEST(ExitedProcesses, ConfiguredFromTheSection) {
  auto configured = [](std::vector<OptionSpec> declared, const std::string& keys) {
    config::IniFile file = config::parse_ini_text("[m]\nmodule = m\n" + keys, "bcc.conf");
    ExitedProcesses exited;
    exited.configure(ModuleOptions(file, file.sections.at(0), declared));
    return exited;
  };
  ExitedProcesses defaults = configured({exited_grace_option()}, "");
  EXPECT_EQ(defaults.grace(), std::chrono::seconds(kDefaultExitedGrace));
  EXPECT_TRUE(defaults.enabled());
  OptionSpec remove = flag_option(kRemoveStoppedOption, "forget exited processes");
  ExitedProcesses kept = configured({exited_grace_option(), remove},
                                    "exited_grace = 4\nremove_stopped_processes = False\n");
  EXPECT_EQ(kept.grace(), 4s);
  EXPECT_FALSE(kept.enabled());
}

// The same on a kernel hash map, as modules use it (root and bpf() needed:
// skipped, with the reason, where the kernel refuses).
class OneMap : public Maps {
 public:
  ~OneMap() override {
    if (fd_ >= 0) close(fd_);
  }
  int create() {
    fd_ = bpf_map_create(BPF_MAP_TYPE_HASH, "exited", 8, 8, 64, nullptr);
    return fd_ < 0 ? errno : 0;
  }
  int fd(const std::string& name) const override {
    if (name != "counts") throw std::runtime_error("no map '" + name + "'");
    return fd_;
  }

 private:
  int fd_ = -1;
};

TEST(ExitedProcesses, TakesExitedEntriesOutOfTheKernelAndReportsThem) {
  OneMap maps;
  int error = maps.create();
  if (error == EPERM || error == EACCES)
    GTEST_SKIP() << "bpf(BPF_MAP_CREATE) refused: " << std::strerror(error)
                 << " (needs root / CAP_BPF)";
  ASSERT_EQ(error, 0) << std::strerror(error);
  for (const MapEntry& e : {entry(100, 0, 5), entry(200, 1, 7)})
    ASSERT_TRUE(update_entry(maps, "counts", e.key, e.value));

  std::set<int> running{100};
  ExitedProcesses exited;
  exited.watch("counts", pid_in_key());
  exited.set_grace(60s);
  exited.set_running_check([&](int pid) { return running.count(pid) > 0; });
  Clock::time_point now = Clock::now();
  exited.collect(maps, now);

  EXPECT_EQ(reported(read_entries(maps, "counts")), (std::map<uint32_t, uint64_t>{{100, 5}}));
  EXPECT_EQ(reported(exited.entries(maps, "counts")),
            (std::map<uint32_t, uint64_t>{{100, 5}, {200, 7}}));
  EXPECT_EQ(exited.known_pids(), (std::set<int>{100, 200}));

  exited.collect(maps, now + 60s);
  EXPECT_EQ(reported(exited.entries(maps, "counts")), (std::map<uint32_t, uint64_t>{{100, 5}}));
  EXPECT_EQ(exited.known_pids(), (std::set<int>{100}));

  // off: exited processes stay in the kernel, as they were
  ASSERT_TRUE(update_entry(maps, "counts", entry(300, 0, 1).key, entry(300, 0, 1).value));
  exited.set_enabled(false);
  exited.collect(maps, now + 61s);
  EXPECT_EQ(reported(read_entries(maps, "counts")),
            (std::map<uint32_t, uint64_t>{{100, 5}, {300, 1}}));
}

}  // namespace
