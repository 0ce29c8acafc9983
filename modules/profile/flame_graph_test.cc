#include "flame_graph.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace bcc;

namespace {

TEST(FlameGraph, EmptyGraphIsARootWithoutChildren) {
  FlameGraph g;
  EXPECT_EQ(g.json(), R"({"name":"root","libtype":null,"value":0,"children":[]})");
}

TEST(FlameGraph, SharedPrefixesMergeAndValuesAddUp) {
  FlameGraph g;
  g.add({{"app", "user"}, {"main", "user"}, {"spin", "user"}}, 3);
  g.add({{"app", "user"}, {"main", "user"}, {"sys_read", "kernel"}}, 2);
  g.add({{"other", "user"}}, 1);
  EXPECT_EQ(g.total(), 6u);
  auto j = nlohmann::json::parse(g.json());
  EXPECT_EQ(j["value"], 6);
  ASSERT_EQ(j["children"].size(), 2u);
  const auto& app = j["children"][0];
  EXPECT_EQ(app["name"], "app");
  EXPECT_EQ(app["libtype"], "user");
  EXPECT_EQ(app["value"], 5);
  const auto& main = app["children"][0];
  ASSERT_EQ(main["children"].size(), 2u);
  EXPECT_EQ(main["children"][0]["name"], "spin");
  EXPECT_EQ(main["children"][0]["value"], 3);
  EXPECT_EQ(main["children"][1]["libtype"], "kernel");
  EXPECT_EQ(j["children"][1]["value"], 1);
}

TEST(FlameGraph, InvalidUtf8IsReplacedNotFatal) {
  FlameGraph g;
  g.add({{std::string("bad\xff", 4), "user"}}, 1);
  auto j = nlohmann::json::parse(g.json());
  EXPECT_EQ(j["children"][0]["value"], 1);
}

}  // namespace
