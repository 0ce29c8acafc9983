// Event tables: the newest events first, within capacity, and a copy of
// every row a fetch reads its columns from.
#include "module/event_table.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace bcc;

namespace {

std::vector<uint64_t> firsts(const EventTable& table) {
  std::vector<uint64_t> out;
  for (const std::vector<Value>& row : table.rows()) out.push_back(std::get<uint64_t>(row.at(0)));
  return out;
}

TEST(EventTable, NewestFirstAndBounded) {
  EventTable table(3);
  for (uint64_t i = 1; i <= 5; i++) table.push({i, std::string("e") + std::to_string(i)});
  std::vector<std::vector<Value>> rows = table.rows();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(std::get<uint64_t>(rows[0][0]), 5u);
  EXPECT_EQ(std::get<uint64_t>(rows[2][0]), 3u);
  EXPECT_EQ(std::get<std::string>(rows[1][1]), "e4");
  EXPECT_EQ(table.size(), 3u);
}

TEST(EventTable, ShrinkingDropsTheOldest) {
  EventTable table(5);
  for (uint64_t i = 1; i <= 5; i++) table.push({i});
  table.set_capacity(2);
  EXPECT_EQ(firsts(table), (std::vector<uint64_t>{5, 4}));
  EXPECT_EQ(table.capacity(), 2u);
}

TEST(EventTable, RowsAreACopyThatLaterEventsLeaveAlone) {
  EventTable table(2);
  table.push({uint64_t{1}, std::string("a")});
  std::vector<std::vector<Value>> seen = table.rows();
  table.push({uint64_t{2}, std::string("b")});
  table.push({uint64_t{3}, std::string("c")});  // beyond capacity: "a" goes
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(std::get<std::string>(seen[0][1]), "a");
  EXPECT_EQ(firsts(table), (std::vector<uint64_t>{3, 2}));
}

TEST(EventTable, NoCapacityKeepsNothing) {
  EventTable table(0);
  table.push({uint64_t{1}});
  EXPECT_TRUE(table.rows().empty());
}

}  // namespace
