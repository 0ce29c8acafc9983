#include <gtest/gtest.h>

#include <cstring>

#include "config/ini.h"
#include "exec_events.h"

using namespace bcc;

namespace {

execsnoop_event arg(uint32_t pid, const char* text, uint32_t index = 0) {
  execsnoop_event r{};
  r.pid = pid;
  r.kind = EXECSNOOP_ARGUMENT;
  r.index = index;
  std::strncpy(r.arg, text, sizeof(r.arg) - 1);
  return r;
}

execsnoop_event result(uint32_t pid, uint32_t ppid, int32_t ret, const char* comm) {
  execsnoop_event r{};
  r.pid = pid;
  r.ppid = ppid;
  r.kind = EXECSNOOP_RESULT;
  r.retval = ret;
  std::strncpy(r.comm, comm, sizeof(r.comm) - 1);
  return r;
}

struct Feed {
  EventTable table{10};
  ExecEvents events;
  explicit Feed(ExecFilters filters = {}) : events(table, std::move(filters)) {}
  void send(const execsnoop_event& r) { events.on_record(&r, sizeof(r)); }
  void exec(uint32_t pid, int32_t ret, const char* comm, std::vector<const char*> args) {
    uint32_t index = 0;
    for (const char* a : args) send(arg(pid, a, index++));
    send(result(pid, 1, ret, comm));
  }
  std::vector<Sample> column(size_t c) {
    std::vector<Sample> out;
    std::vector<std::vector<Value>> rows = table.rows();
    for (size_t i = 0; i < rows.size(); i++) out.push_back({std::to_string(i), rows[i].at(c)});
    return out;
  }
};

TEST(ExecEvents, JoinsArgumentsWithTheirResult) {
  Feed f;
  f.send(arg(10, "/bin/ls"));
  f.send(arg(11, "/bin/cat"));  // another exec, interleaved
  f.send(arg(10, "-l\nx", 1));
  f.send(result(10, 7, 0, "ls"));
  auto comm = f.column(exec_comm), args = f.column(exec_args), ppid = f.column(exec_ppid);
  ASSERT_EQ(comm.size(), 1u);
  EXPECT_EQ(std::get<std::string>(comm[0].value), "ls");
  EXPECT_EQ(std::get<std::string>(args[0].value), "/bin/ls -l\\nx");
  EXPECT_EQ(std::get<uint64_t>(ppid[0].value), 7u);
  EXPECT_EQ(std::get<int64_t>(f.column(exec_ret)[0].value), 0);
}

TEST(ExecEvents, ALostReturnDoesNotLendItsArgumentsToThePidsNextExec) {
  Feed f;
  f.send(arg(10, "/bin/sh"));
  f.send(arg(10, "-c", 1));  // this exec's return event was lost
  f.exec(10, 0, "ls", {"/bin/ls", "-l"});
  auto args = f.column(exec_args);
  ASSERT_EQ(args.size(), 1u);
  EXPECT_EQ(std::get<std::string>(args[0].value), "/bin/ls -l");
}

TEST(ExecEvents, ExecsWhoseReturnIsLostAreForgottenAfterTenSeconds) {
  auto now = std::make_shared<ExecEvents::Clock::time_point>();
  EventTable table(10);
  ExecEvents events(table, {}, [now] { return *now; });
  auto send = [&](const execsnoop_event& r) { events.on_record(&r, sizeof(r)); };
  for (uint32_t pid = 1; pid <= 100; pid++) send(arg(pid, "/bin/true"));
  EXPECT_EQ(events.pending(), 100u);
  *now += std::chrono::seconds(9);
  send(arg(200, "/bin/sh"));
  EXPECT_EQ(events.pending(), 101u);  // still in time
  *now += std::chrono::seconds(2);
  send(arg(201, "/bin/ls"));
  EXPECT_EQ(events.pending(), 2u);  // the first 100 are lost; 200 and 201 may return
  send(result(200, 1, 0, "sh"));
  ASSERT_EQ(table.size(), 1u);
}

TEST(ExecEvents, ExecsWhoseReturnIsLostDoNotPileUpInABurst) {
  Feed f;
  for (uint32_t pid = 1; pid <= 100000; pid++) {
    f.send(arg(pid, "/bin/true"));
    f.send(arg(pid, "argument", 1));
  }
  EXPECT_LE(f.events.pending(), 1024u);
  // the newest are kept: their returns may still come
  f.send(result(100000, 1, 0, "true"));
  auto args = f.column(exec_args);
  ASSERT_EQ(args.size(), 1u);
  EXPECT_EQ(std::get<std::string>(args[0].value), "/bin/true argument");
}

TEST(ExecEvents, FailedExecsOnlyWhenAsked) {
  Feed plain;
  plain.exec(5, -2, "sh", {"/nonexistent"});
  EXPECT_EQ(plain.table.size(), 0u);
  Feed with_failed(ExecFilters{true, {}, {}});
  with_failed.exec(5, -2, "sh", {"/nonexistent"});
  ASSERT_EQ(with_failed.table.size(), 1u);
  EXPECT_EQ(std::get<int64_t>(with_failed.column(exec_ret)[0].value), -2);
}

TEST(ExecEvents, RegexFiltersSearchCommandAndArguments) {
  Feed f(ExecFilters{false, config::Pattern("^ca"), config::Pattern("secret")});
  f.exec(1, 0, "cat", {"/bin/cat", "/etc/secret"});
  f.exec(2, 0, "cat", {"/bin/cat", "/etc/motd"});
  f.exec(3, 0, "scat", {"/bin/scat", "secret"});
  auto pid = f.column(exec_pid);
  ASSERT_EQ(pid.size(), 1u);
  EXPECT_EQ(std::get<uint64_t>(pid[0].value), 1u);
}

TEST(ExecEvents, BadRegexNamesTheOption) {
  EXPECT_FALSE(regex_option("command", ""));
  try {
    regex_option("args", "([");
    FAIL();
  } catch (const config::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("args = '(['"), std::string::npos) << e.what();
  }
}

}  // namespace
