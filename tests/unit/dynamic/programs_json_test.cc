// bcc.info.programs: the registered programs as JSON.
#include "dynamic/programs_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <string>

using namespace bcc::dynamic;

namespace {

TEST(ProgramsJson, ListsEachProgram) {
  ProgramInfo ok{"runq", "active", "", {"bcc.custom.runq.dist"}, true};
  ProgramInfo bad{"prog2", "failed", "compile failed: 3:1: error: \"x\"\n", {}, false};
  auto j = nlohmann::json::parse(programs_json({ok, bad}));
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[0]["name"], "runq");
  EXPECT_EQ(j[0]["state"], "active");
  EXPECT_EQ(j[0]["metrics"], nlohmann::json::array({"bcc.custom.runq.dist"}));
  EXPECT_EQ(j[0]["expires"], false);
  EXPECT_EQ(j[1]["error"], "compile failed: 3:1: error: \"x\"\n");
  EXPECT_EQ(j[1]["metrics"], nlohmann::json::array());
  EXPECT_EQ(j[1]["expires"], true);
  EXPECT_EQ(programs_json({}), "[]");
}

TEST(ProgramsJson, InvalidUtf8IsReplaced) {
  ProgramInfo p{"p", "failed", std::string("bad \xff byte"), {}, true};
  auto j = nlohmann::json::parse(programs_json({p}));
  EXPECT_NE(j[0]["error"].get<std::string>().find("bad "), std::string::npos);
}

}  // namespace
