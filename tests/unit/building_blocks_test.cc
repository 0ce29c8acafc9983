#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "module/event_table.h"
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
  EXPECT_TRUE(process_running(getpid()));
  EXPECT_FALSE(process_running(0));
  pid_t child = fork();
  if (child == 0) _exit(0);
  ASSERT_GT(child, 0);
  waitpid(child, nullptr, 0);
  EXPECT_FALSE(process_running(child));
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

TEST(ProgramSource, GeneralTableFormsNameTheirFourthArgument) {
  const char* source = R"(
BPF_F_TABLE("hash", u32, u8, filter_pids, 10240, BPF_F_NO_PREALLOC);
BPF_TABLE("percpu_array", struct key_t, u64, totals, 16);
BPF_TABLE_PINNED("hash", u32, u64, pinned, 16, "/sys/fs/bpf/x");
)";
  EXPECT_EQ(bcc::declared_maps(source),
            (std::vector<std::string>{"filter_pids", "totals", "pinned"}));
}

}  // namespace

#include "pmda/store_access.h"

#include <pwd.h>

namespace {

TEST(StoreAccess, RootAndAllowedUsersOnly) {
  bcc::StoreAccess access({"nobody", "4242", "no-such-user-here"});
  EXPECT_EQ(access.unknown(), std::vector<std::string>{"no-such-user-here"});
  access.set_user(1, 0);
  access.set_user(2, 4242);
  access.set_user(3, 1234);
  EXPECT_EQ(access.refusal(1), "");
  EXPECT_EQ(access.refusal(2), "");
  EXPECT_NE(access.refusal(3).find("user id 1234 is neither root"), std::string::npos);
  EXPECT_NE(access.refusal(4).find("user is unknown"), std::string::npos);
  access.end_context(1);
  EXPECT_NE(access.refusal(1), "");
}

TEST(StoreAccess, OnlyRootByDefault) {
  bcc::StoreAccess access;
  access.set_user(1, 65534);
  EXPECT_NE(access.refusal(1), "");
}

// Registering a program is root: allowed_users may store (profile
// start/stop) but not register; only root and register_users may.
TEST(StoreAccess, RegisteringIsForRootAndRegisterUsersOnly) {
  bcc::StoreAccess access({"4242"}, {"4343"}, "pcp");
  EXPECT_EQ(access.register_problem(), "");
  access.set_user(1, 0);
  access.set_user(2, 4242);
  access.set_user(3, 4343);
  using R = bcc::StoreRight;
  EXPECT_EQ(access.refusal(1, R::register_programs), "");
  EXPECT_NE(access.refusal(2, R::register_programs).find("user id 4242 may not register programs"),
            std::string::npos);
  EXPECT_EQ(access.refusal(2, R::store), "");
  EXPECT_EQ(access.refusal(3, R::register_programs), "");
  EXPECT_EQ(access.refusal(3, R::store), "") << "who may register may store";
  EXPECT_NE(access.refusal(9, R::register_programs).find("unknown"), std::string::npos);
}

// pcp is the identity pmproxy gives every HTTP client: never in
// register_users, by name or by id.
TEST(StoreAccess, PcpIsRefusedInRegisterUsers) {
  EXPECT_NE(bcc::StoreAccess({}, {"alice", "pcp"}, "pcp").register_problem().find(
                "[pmda] register_users names 'pcp', PCP's own user (pcp): registering a "
                "program is root"),
            std::string::npos);
  EXPECT_EQ(bcc::StoreAccess({"pcp"}, {}, "pcp").register_problem(), "")
      << "pcp may still store (profile start/stop)";
  if (const passwd* pw = getpwnam("pcp")) {
    bcc::StoreAccess by_id({}, {std::to_string(pw->pw_uid)}, "pcp");
    EXPECT_NE(by_id.register_problem().find("PCP's own user"), std::string::npos);
    by_id.set_user(1, pw->pw_uid);
    EXPECT_NE(by_id.refusal(1, bcc::StoreRight::register_programs), "");
  }
  // another PCP_USER
  EXPECT_NE(bcc::StoreAccess({}, {"pmuser"}, "pmuser").register_problem(), "");
}

// pmcd sends the credentials of the clients connected when the agent
// starts, then no end-of-context for those that leave before it is ready;
// their slots are reused. At ready, every credential is forgotten.
TEST(StoreAccess, ForgetAllLeavesEveryContextUnknown) {
  bcc::StoreAccess access;
  access.set_user(0, 0);
  access.set_user(5, 0);
  EXPECT_EQ(access.forget_all(), 2u);
  EXPECT_NE(access.refusal(0).find("unknown"), std::string::npos);
  EXPECT_NE(access.refusal(5, bcc::StoreRight::register_programs).find("reconnect"),
            std::string::npos);
}

}  // namespace
