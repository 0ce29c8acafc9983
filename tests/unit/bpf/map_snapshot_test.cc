// A fetch's MapSnapshot reads each map once, and again after the agent
// changed it.
#include "bpf/map_snapshot.h"

#include <gtest/gtest.h>

#include <map>
#include <stdexcept>

#include "bpf/tables.h"

using namespace bcc;

namespace {

// Maps whose contents the test sets, counting how often each is read.
class CountingMaps : public Maps {
 public:
  int fd(const std::string& name) const override {
    throw std::runtime_error("no descriptor for '" + name + "' in this test");
  }
  MapInfo info(const std::string& name) override {
    info_reads[name]++;
    return {BPF_MAP_TYPE_HASH, 4, 8, 64};
  }
  MapEntries entries(const std::string& name) override {
    entry_reads[name]++;
    return MapEntries(std::make_shared<std::vector<MapEntry>>(contents[name]));
  }
  MapSlots u64_slots(const std::string& name) override {
    slot_reads[name]++;
    return MapSlots(std::make_shared<std::vector<uint64_t>>(slots[name]));
  }
  std::map<std::string, std::vector<MapEntry>> contents;
  std::map<std::string, std::vector<uint64_t>> slots;
  std::map<std::string, int> info_reads, entry_reads, slot_reads;
};

TEST(MapSnapshot, ReadsEachMapOnceAndGivesEveryReaderTheSameCopy) {
  CountingMaps live;
  live.contents["a"] = {{"k1", "v1"}};
  live.slots["hist"] = {1, 2, 3};
  MapSnapshot snapshot(live);
  EXPECT_EQ(read_entries(snapshot, "a").size(), 1u);
  live.contents["a"].push_back({"k2", "v2"});  // arrives during the fetch
  EXPECT_EQ(read_entries(snapshot, "a").size(), 1u);  // the fetch's copy
  EXPECT_EQ(read_u64_hash(snapshot, "a").size(), 1u);
  EXPECT_EQ(read_u64_array(snapshot, "hist"), (std::vector<uint64_t>{1, 2, 3}));
  EXPECT_EQ(read_u64_array(snapshot, "hist"), (std::vector<uint64_t>{1, 2, 3}));
  map_info(snapshot, "a");
  map_info(snapshot, "a");
  EXPECT_EQ(live.entry_reads["a"], 1);
  EXPECT_EQ(live.slot_reads["hist"], 1);
  EXPECT_EQ(live.info_reads["a"], 1);
  // the next fetch sees the new entry
  MapSnapshot next(live);
  EXPECT_EQ(read_entries(next, "a").size(), 2u);
}

TEST(MapSnapshot, AChangedMapIsReadAgainAndListsAlreadyReadStayValid) {
  CountingMaps live;
  live.contents["a"] = {{"k1", "v1"}, {"k2", "v2"}};
  MapSnapshot snapshot(live);
  MapEntries before = read_entries(snapshot, "a");
  live.contents["a"].pop_back();
  snapshot.changed("a");  // what delete_entry reports
  EXPECT_EQ(read_entries(snapshot, "a").size(), 1u);
  EXPECT_EQ(live.entry_reads["a"], 2);
  // a reader still walking the first copy walks it whole
  ASSERT_EQ(before.size(), 2u);
  EXPECT_EQ(before[1].key, "k2");
}

TEST(MapSnapshot, AMissingMapIsAnErrorEveryTime) {
  struct NoMaps : Maps {
    int fd(const std::string& name) const override {
      throw std::runtime_error("program has no map '" + name + "'");
    }
  } live;
  MapSnapshot snapshot(live);
  EXPECT_THROW(read_entries(snapshot, "gone"), std::runtime_error);
  EXPECT_THROW(read_entries(snapshot, "gone"), std::runtime_error);
  EXPECT_THROW(read_u64_array(snapshot, "gone"), std::runtime_error);
}

}  // namespace

namespace {

// bcc.pmda.map.entries takes these instead of reading the maps again.
TEST(MapSnapshot, CountsTheEntriesOfTheMapsItHoldsWhole) {
  CountingMaps live;
  live.contents["a"] = {{"k1", "v1"}, {"k2", "v2"}};
  live.contents["pruned"] = {{"k1", "v1"}};
  live.contents["unread"] = {{"k1", "v1"}};
  live.slots["hist"] = {1, 2, 3};
  MapSnapshot snapshot(live);
  read_entries(snapshot, "a");
  read_entries(snapshot, "pruned");
  read_u64_array(snapshot, "hist");
  snapshot.changed("pruned");  // a hook deleted entries after reading: not known any more
  EXPECT_EQ(snapshot.entry_counts(), (std::map<std::string, uint64_t>{{"a", 2}}));
}

}  // namespace
