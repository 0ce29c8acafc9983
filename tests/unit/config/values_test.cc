// The values of bcc.conf keys: booleans, numbers, lists.
#include "config/values.h"

#include <gtest/gtest.h>

#include <cstdint>

using namespace bcc::config;

namespace {

TEST(Values, Booleans) {
  for (auto t : {"True", "true", "YES", "on", "1"}) EXPECT_EQ(parse_bool(t), true) << t;
  for (auto t : {"False", "no", "OFF", "0"}) EXPECT_EQ(parse_bool(t), false) << t;
  for (auto t : {"", "maybe", "2"}) EXPECT_FALSE(parse_bool(t).has_value()) << t;
}

TEST(Values, Numbers) {
  EXPECT_EQ(parse_unsigned(" 42 ", 0, 100), 42u);
  EXPECT_FALSE(parse_unsigned("101", 0, 100));
  EXPECT_FALSE(parse_unsigned("-1", 0, 100));
  EXPECT_FALSE(parse_unsigned("4x", 0, 100));
  EXPECT_FALSE(parse_unsigned("99999999999999999999999", 0, UINT64_MAX));
}

TEST(Values, Lists) {
  EXPECT_EQ(split_list(" a, b,,c "), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(split_list("").empty());
}

}  // namespace
