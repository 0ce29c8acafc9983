// Event tables: the newest events first, within capacity, and one fetch
// reading every column from the same rows.
#include "module/event_table.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace bcc;

namespace {

std::vector<Value> event(uint64_t pid, std::string comm) { return {pid, std::move(comm)}; }

std::vector<Sample> read(const EventTable& table, size_t column, uint64_t fetch) {
  std::vector<Sample> out;
  table.column(column, out, fetch);
  return out;
}

TEST(EventTable, NewestFirstAndBounded) {
  EventTable table(3);
  for (uint64_t i = 1; i <= 5; i++) table.push({i, std::string("e") + std::to_string(i)});
  std::vector<Sample> ids, names;
  table.column(0, ids);
  table.column(1, names);
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_EQ(ids[0].instance, "0");
  EXPECT_EQ(std::get<uint64_t>(ids[0].value), 5u);
  EXPECT_EQ(std::get<uint64_t>(ids[2].value), 3u);
  EXPECT_EQ(std::get<std::string>(names[1].value), "e4");
}

TEST(EventTable, ShrinkingDropsTheOldest) {
  EventTable table(5);
  for (uint64_t i = 1; i <= 5; i++) table.push({i});
  table.set_capacity(2);
  std::vector<Sample> out;
  table.column(0, out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(std::get<uint64_t>(out[1].value), 4u);
}

TEST(EventTable, ReplaceKeepsTheRankingOrderWithinCapacity) {
  EventTable table(2);
  table.push({uint64_t{9}});
  table.replace({{uint64_t{1}}, {uint64_t{2}}, {uint64_t{3}}});
  std::vector<Sample> out;
  table.column(0, out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].instance, "0");
  EXPECT_EQ(std::get<uint64_t>(out[0].value), 1u);
  EXPECT_EQ(std::get<uint64_t>(out[1].value), 2u);
  table.replace({});
  EXPECT_EQ(table.size(), 0u);
}

TEST(EventTable, AFetchReadsEveryColumnFromTheSameRows) {
  EventTable table(3);
  table.push(event(100, "first"));
  auto pids = read(table, 0, 7);
  table.push(event(200, "second"));  // arrives between two columns of fetch 7
  auto comms = read(table, 1, 7);
  ASSERT_EQ(pids.size(), 1u);
  ASSERT_EQ(comms.size(), 1u);
  EXPECT_EQ(std::get<uint64_t>(pids[0].value), 100u);
  EXPECT_EQ(std::get<std::string>(comms[0].value), "first");  // not "second"
  // the next fetch sees both, newest first
  auto next = read(table, 1, 8);
  ASSERT_EQ(next.size(), 2u);
  EXPECT_EQ(next[0].instance, "0");
  EXPECT_EQ(std::get<std::string>(next[0].value), "second");
  EXPECT_EQ(std::get<std::string>(next[1].value), "first");
}

TEST(EventTable, ReadsOutsideAFetchSeeTheRowsAsTheyAre) {
  EventTable table(2);
  table.push(event(1, "a"));
  EXPECT_EQ(read(table, 0, 0).size(), 1u);
  table.push(event(2, "b"));
  table.push(event(3, "c"));  // beyond capacity: "a" goes
  auto comms = read(table, 1, 0);
  ASSERT_EQ(comms.size(), 2u);
  EXPECT_EQ(std::get<std::string>(comms[0].value), "c");
  EXPECT_EQ(std::get<std::string>(comms[1].value), "b");
}

}  // namespace
