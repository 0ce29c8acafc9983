#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "bpf/event_table.h"
#include "bpf/process_filter.h"

using namespace bcc;

namespace {

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

TEST(ProcessAlive, ThisProcessIsAndAReapedChildIsNot) {
  EXPECT_TRUE(process_alive(getpid()));
  EXPECT_FALSE(process_alive(0));
  pid_t child = fork();
  if (child == 0) _exit(0);
  ASSERT_GT(child, 0);
  waitpid(child, nullptr, 0);
  EXPECT_FALSE(process_alive(child));
}

TEST(ProcessFilter, WordsMatchPidOrCommExactly) {
  ProcessFilter f("java, 1234");
  EXPECT_TRUE(f.matches({99, "java", "/usr/bin/java -jar x.jar"}));
  EXPECT_TRUE(f.matches({1234, "sh", "sh"}));
  EXPECT_FALSE(f.matches({99, "javac", "javac"}));
  EXPECT_FALSE(f.matches({12345, "sh", "sh"}));
}

TEST(ProcessFilter, OtherItemsAreRegexesOnTheWholeCommandLine) {
  ProcessFilter f(".*python3 .*server\\.py");
  EXPECT_TRUE(f.matches({1, "python3", "/usr/bin/python3 /srv/server.py"}));
  EXPECT_FALSE(f.matches({1, "python3", "/usr/bin/python3 /srv/server.pyc --x"}));
}

TEST(ProcessFilter, BadRegexNamesIt) {
  try {
    ProcessFilter f("ok,[unclosed");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("'[unclosed' is not a valid regular expression"),
              std::string::npos);
  }
}

TEST(ProcessFilter, ScanFindsThisProcess) {
  ProcessFilter f(std::to_string(getpid()));
  auto found = f.scan();
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].pid, getpid());
  EXPECT_FALSE(found[0].cmdline.empty());
}

TEST(ProcessFilter, CmdlineJoining) {
  EXPECT_EQ(join_cmdline(std::string("a\0b\0", 4), "x"), "a b");
  EXPECT_EQ(join_cmdline("", "kworker"), "(kworker)");
}

}  // namespace

namespace {

TEST(ProcessFilter, ThreadIdsIncludeEveryThread) {
  std::atomic<bool> stop{false};
  std::thread t([&stop] {
    while (!stop) usleep(1000);
  });
  auto tids = thread_ids(getpid());
  stop = true;
  t.join();
  EXPECT_GE(tids.size(), 2u);
  EXPECT_NE(std::find(tids.begin(), tids.end(), getpid()), tids.end());
}

}  // namespace

#include "bpf/program_source.h"

namespace {

TEST(ProgramSource, DeclaredMapsInOrder) {
  const char* source = R"(
BPF_HASH(start, u32, u64, 10240);
BPF_PERCPU_ARRAY(dist, u64, 64);
BPF_PERF_OUTPUT(events);
BPF_HASH(start, u32);
static int f() { return bpf_ktime_get_ns() > BPF_ANY; }
)";
  EXPECT_EQ(bcc::declared_maps(source), (std::vector<std::string>{"start", "dist", "events"}));
}

}  // namespace
