// Counts kept per interval: a fetch shows the last complete epoch and
// deletes older ones; with interval 0 it shows and deletes everything.
#include "module/interval_epochs.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>

#include "bpf/tables.h"
#include "config/ini.h"
#include "module/options.h"
#include "support/test_maps.h"

using namespace bcc;
using bcc::testing::bytes;
using bcc::testing::TestMaps;

namespace {

const uint64_t kSecond = 1000000000ull;

TEST(IntervalEpochs, ShowsTheLastCompleteEpochAndDeletesOlderOnes) {
  IntervalEpochs epochs(10 * kSecond, 125 * kSecond);  // epoch 12 is running
  EXPECT_FALSE(epochs.shown(12));
  EXPECT_FALSE(epochs.expired(12));
  EXPECT_TRUE(epochs.shown(11));  // complete, shown until a later fetch
  EXPECT_FALSE(epochs.expired(11));
  EXPECT_FALSE(epochs.shown(10));
  EXPECT_TRUE(epochs.expired(10));
  EXPECT_TRUE(epochs.expired(0));
  EXPECT_FALSE(epochs.shown(13));  // ahead of this clock: left for later
  EXPECT_FALSE(epochs.expired(13));
}

TEST(IntervalEpochs, AtAnEpochsFirstNanosecondThePreviousOneIsComplete) {
  IntervalEpochs at_start(10 * kSecond, 120 * kSecond);
  EXPECT_TRUE(at_start.shown(11));
  IntervalEpochs just_before(10 * kSecond, 120 * kSecond - 1);
  EXPECT_TRUE(just_before.shown(10));
  EXPECT_FALSE(just_before.shown(11));
}

TEST(IntervalEpochs, BeforeTheFirstIntervalEndsNothingIsShown) {
  IntervalEpochs epochs(60 * kSecond, 59 * kSecond);
  EXPECT_FALSE(epochs.shown(0));
  EXPECT_FALSE(epochs.expired(0));
}

TEST(IntervalEpochs, IntervalZeroShowsAndDeletesEverything) {
  IntervalEpochs epochs(0, 125 * kSecond);
  EXPECT_TRUE(epochs.shown(0));
  EXPECT_TRUE(epochs.expired(0));
}

TEST(IntervalEpochs, DefinesOnlyForAnInterval) {
  EXPECT_TRUE(interval_defines(0).empty());
  EXPECT_EQ(interval_defines(5), (std::vector<std::string>{"INTERVAL_NS=5000000000ULL"}));
}

// The `interval` option biotop and tcptop share: 1 s by default, 0 allowed,
// its value as the program's flags and as IntervalEpochs takes it.
TEST(IntervalEpochs, TheIntervalOption) {
  OptionSpec option = interval_option(3600);
  EXPECT_EQ(option.name, "interval");
  EXPECT_EQ(option.default_value, "1");
  EXPECT_EQ(option.min, 0u);
  EXPECT_EQ(option.max, 3600u);
  std::vector<OptionSpec> declared{option};
  config::IniFile file = config::parse_ini_text("[s]\ninterval = 5\n", "bcc.conf");
  ModuleOptions five(file, file.sections.at(0), declared);
  EXPECT_EQ(interval_option_ns(five), 5 * kSecond);
  EXPECT_EQ(interval_option_defines(five), interval_defines(5));
  ModuleOptions by_default(declared);
  EXPECT_EQ(interval_option_ns(by_default), kSecond);
}

TEST(IntervalEpochs, TheClockIsTheMonotonicOne) {
  timespec before{}, after{};
  clock_gettime(CLOCK_MONOTONIC, &before);
  uint64_t now = kernel_monotonic_ns();
  clock_gettime(CLOCK_MONOTONIC, &after);
  EXPECT_GE(now, before.tv_sec * kSecond + before.tv_nsec);
  EXPECT_LE(now, after.tv_sec * kSecond + after.tv_nsec);
}

// A key of 4 bytes of name, then the epoch; the value, the name.
void put(TestMaps& maps, const std::string& name, uint64_t epoch) {
  std::string key(12, '\0'), value(8, '\0');
  key.replace(0, name.size(), name);
  memcpy(&key[4], &epoch, sizeof epoch);
  value.replace(0, name.size(), name);
  ASSERT_TRUE(update_entry(maps, "m", key, value));
}

// The names of `entries`, sorted (a hash has no order).
std::vector<std::string> names(const std::vector<MapEntry>& entries) {
  std::vector<std::string> out;
  for (const MapEntry& e : entries) out.push_back(e.value.substr(0, e.value.find('\0')));
  std::sort(out.begin(), out.end());
  return out;
}

using Names = std::vector<std::string>;

TEST(TakeLastInterval, ShowsTheLastCompleteIntervalAndDeletesOlderOnes) {
  TestMaps maps;
  CREATE_OR_SKIP(maps, "m", BPF_MAP_TYPE_HASH, 12, 8, 64);
  put(maps, "run", 12);
  put(maps, "last", 11);
  put(maps, "las2", 11);
  put(maps, "old", 10);
  put(maps, "olde", 3);
  IntervalEpochs epochs(10 * kSecond, 125 * kSecond);
  EXPECT_EQ(names(take_last_interval(maps, "m", 4, epochs)), (Names{"las2", "last"}));
  EXPECT_EQ(names(read_entries(maps, "m")), (Names{"las2", "last", "run"}));
  // a second fetch in the same interval shows the same counts
  EXPECT_EQ(names(take_last_interval(maps, "m", 4, epochs)), (Names{"las2", "last"}));
  // once the next interval is complete, they are gone and it is shown
  IntervalEpochs later(10 * kSecond, 131 * kSecond);
  EXPECT_EQ(names(take_last_interval(maps, "m", 4, later)), (Names{"run"}));
  EXPECT_EQ(names(read_entries(maps, "m")), (Names{"run"}));
}

TEST(TakeLastInterval, IntervalZeroTakesEverythingSinceTheLastFetch) {
  TestMaps maps;
  CREATE_OR_SKIP(maps, "m", BPF_MAP_TYPE_HASH, 12, 8, 64);
  put(maps, "a", 0);
  put(maps, "b", 0);
  EXPECT_EQ(names(take_last_interval(maps, "m", 4, IntervalEpochs(0, 125 * kSecond))),
            (Names{"a", "b"}));
  EXPECT_TRUE(read_entries(maps, "m").empty());
  put(maps, "c", 0);  // counted after that fetch
  EXPECT_EQ(names(take_last_interval(maps, "m", 4, IntervalEpochs(0, 126 * kSecond))),
            (Names{"c"}));
}

TEST(TakeLastInterval, KeysTooShortForAnEpochAreLeftAlone) {
  TestMaps maps;
  CREATE_OR_SKIP(maps, "m", BPF_MAP_TYPE_HASH, 4, 8, 64);
  ASSERT_TRUE(update_entry(maps, "m", bytes(uint32_t{1}), bytes(uint64_t{1})));
  EXPECT_TRUE(take_last_interval(maps, "m", 4, IntervalEpochs(0, 0)).empty());
  EXPECT_EQ(read_entries(maps, "m").size(), 1u);
}

}  // namespace
