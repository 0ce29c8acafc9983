// The pure rules of registering programs at run time: names, limits,
// expiry, clusters, the bcc.info.programs JSON.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "dynamic/cluster_pool.h"
#include "dynamic/expiry.h"
#include "dynamic/limits.h"
#include "dynamic/program_name.h"
#include "dynamic/programs_json.h"

using namespace bcc::dynamic;

namespace {

TEST(ProgramName, FromTheFirstAnnotation) {
  EXPECT_EQ(annotated_name("// name: runq_mine\nint x;\n// name: other\n"), "runq_mine");
  EXPECT_EQ(annotated_name("int x;\n   //name:spaced   \r\n"), "spaced");
  EXPECT_EQ(annotated_name("// export: dist histogram usec\n"), std::nullopt);
  EXPECT_EQ(annotated_name("int name: x; // not at the start\n"), std::nullopt);
  EXPECT_EQ(annotated_name(""), std::nullopt);
  EXPECT_EQ(annotated_name("// name:"), "");
}

TEST(ProgramName, Rules) {
  EXPECT_EQ(name_problem("runq"), "");
  EXPECT_EQ(name_problem("a_1"), "");
  EXPECT_EQ(name_problem(std::string(32, 'a')), "");
  EXPECT_NE(name_problem(std::string(33, 'a')).find("too long"), std::string::npos);
  EXPECT_NE(name_problem("").find("empty"), std::string::npos);
  EXPECT_NE(name_problem("1abc").find("must start with"), std::string::npos);
  EXPECT_NE(name_problem("Abc").find("must start with"), std::string::npos);
  EXPECT_EQ(name_problem("a.b"), "the program name 'a.b' has '.'; expected a lower-case letter, "
                                 "then up to 31 lower-case letters, digits or '_'");
  EXPECT_NE(name_problem("a-b").find("has '-'"), std::string::npos);
}

TEST(ProgramName, GeneratedNamesAreFreshAndNeverReused) {
  NameGenerator names;
  EXPECT_EQ(names.next({}), "prog1");
  EXPECT_EQ(names.next({"prog3"}), "prog2");
  EXPECT_EQ(names.next({"prog3"}), "prog4");  // prog3 is taken
  EXPECT_EQ(names.next({}), "prog5");         // prog1 was freed, but is not handed out again
  EXPECT_EQ(name_problem(names.next({})), "");
}

TEST(Limits, OffByDefault) {
  bcc::config::DynamicLimits limits;
  EXPECT_EQ(limit_problem(limits, 100, 0),
            "registering programs at run time is off; set [pmda] allow_dynamic = True");
}

TEST(Limits, SizeAndCount) {
  bcc::config::DynamicLimits limits;
  limits.allowed = true;
  limits.max_program_size = 1000;
  limits.max_programs = 2;
  EXPECT_EQ(limit_problem(limits, 1000, 1), "");
  EXPECT_EQ(limit_problem(limits, 1001, 0),
            "the program has 1001 bytes, more than [pmda] max_program_size = 1000");
  EXPECT_EQ(limit_problem(limits, 0, 0), "the program text is empty");
  EXPECT_EQ(limit_problem(limits, 10, 2),
            "2 programs are registered, [pmda] max_programs = 2; deregister one first");
}

TEST(Expiry, UnfetchedProgramsExpireAfterTheirTime) {
  using namespace std::chrono;
  ExpiryTracker tracker(60);
  auto t0 = ExpiryTracker::Clock::time_point{} + hours(1);
  tracker.track("prog1", t0);
  tracker.track("prog2", t0 + seconds(30));
  EXPECT_TRUE(tracker.expired(t0 + seconds(59)).empty());
  EXPECT_EQ(tracker.expired(t0 + seconds(60)), std::vector<std::string>{"prog1"});
  EXPECT_EQ(tracker.expired(t0 + seconds(95)), (std::vector<std::string>{"prog1", "prog2"}));
}

TEST(Expiry, AFetchPostponesIt) {
  using namespace std::chrono;
  ExpiryTracker tracker(60);
  auto t0 = ExpiryTracker::Clock::time_point{} + hours(1);
  tracker.track("prog1", t0);
  tracker.used("prog1", t0 + seconds(50));
  tracker.used("prog1", t0 + seconds(10));  // older news changes nothing
  tracker.used("named", t0 + seconds(50));  // never tracked: ignored
  EXPECT_TRUE(tracker.expired(t0 + seconds(100)).empty());
  EXPECT_EQ(tracker.expired(t0 + seconds(110)), std::vector<std::string>{"prog1"});
  tracker.forget("prog1");
  EXPECT_TRUE(tracker.expired(t0 + hours(5)).empty());
}

TEST(Expiry, ZeroMeansNever) {
  ExpiryTracker tracker(0);
  auto t0 = ExpiryTracker::Clock::time_point{};
  tracker.track("prog1", t0);
  EXPECT_TRUE(tracker.expired(t0 + std::chrono::hours(1000)).empty());
}

TEST(ClusterPool, RoundRobinOverTheRange) {
  ClusterPool pool(10, 12);
  EXPECT_EQ(pool.take(), 10u);
  EXPECT_EQ(pool.take(), 11u);
  pool.release(10);
  EXPECT_EQ(pool.take(), 12u);  // the freed one waits its turn
  EXPECT_EQ(pool.take(), 10u);
  EXPECT_EQ(pool.take(), std::nullopt);
  pool.release(11);
  EXPECT_EQ(pool.take(), 11u);
}

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
