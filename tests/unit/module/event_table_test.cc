// An event table read by one fetch: every column from the same rows.
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
