// execsnoop on fake maps: the records of an exec() (its arguments, then
// its result) through the `events` perf buffer become one row, newest
// first, up to process_count, filtered by the options; command names and
// arguments passed on raw (a newline in an argument shows as "\n").
#include <cstring>

#include "execsnoop.h"
#include "module_harness.h"

using namespace bcc;
using bcc::testing::ModuleHarness;

namespace {

void send(ModuleHarness& h, const execsnoop_event& r) {
  h.spec().perf_buffers().at(0).on_event(&r, sizeof(r));
}

void exec(ModuleHarness& h, uint32_t pid, int32_t ret, const char* comm,
          std::vector<const char*> args) {
  uint32_t index = 0;
  for (const char* a : args) {
    execsnoop_event r{};
    r.pid = pid;
    r.kind = EXECSNOOP_ARGUMENT;
    r.index = index++;
    std::strncpy(r.arg, a, sizeof(r.arg) - 1);
    send(h, r);
  }
  execsnoop_event r{};
  r.pid = pid;
  r.ppid = 1;
  r.kind = EXECSNOOP_RESULT;
  r.retval = ret;
  std::strncpy(r.comm, comm, sizeof(r.comm) - 1);
  send(h, r);
}

std::vector<std::string> texts(const std::vector<Sample>& samples) {
  std::vector<std::string> out;
  for (size_t i = 0; i < samples.size(); i++) {
    EXPECT_EQ(samples[i].instance, std::to_string(i));
    out.push_back(std::get<std::string>(samples[i].value));
  }
  return out;
}

TEST(Execsnoop, EachExecIsARowNewestFirst) {
  ModuleHarness h("execsnoop");
  exec(h, 10, 0, "ls", {"/bin/ls", "-l"});
  exec(h, 11, 0, "a b\nc\x01", {"/tmp/a b", "x\ny"});
  auto values = h.fetch();
  EXPECT_EQ(texts(values["proc.exec.comm"]), (std::vector<std::string>{"a b\nc\x01", "ls"}));
  EXPECT_EQ(texts(values["proc.exec.args"]),
            (std::vector<std::string>{"/tmp/a b x\\ny", "/bin/ls -l"}));
  ASSERT_EQ(values["proc.exec.pid"].size(), 2u);
  EXPECT_EQ(std::get<uint64_t>(values["proc.exec.pid"][0].value), 11u);
  EXPECT_EQ(std::get<uint64_t>(values["proc.exec.ppid"][1].value), 1u);
  EXPECT_EQ(std::get<int64_t>(values["proc.exec.ret"][1].value), 0);
}

TEST(Execsnoop, OptionsFilterAndBoundTheRows) {
  ModuleHarness h("execsnoop", "process_count = 2\ninclude_failed = True\ncommand = ^s\n");
  exec(h, 1, 0, "sh", {"/bin/sh"});
  exec(h, 2, 0, "cat", {"/bin/cat"});
  exec(h, 3, -2, "sleep", {"/nonexistent"});
  exec(h, 4, 0, "ssh", {"/bin/ssh"});
  auto values = h.fetch();
  EXPECT_EQ(texts(values["proc.exec.comm"]), (std::vector<std::string>{"ssh", "sleep"}));
  EXPECT_EQ(std::get<int64_t>(values["proc.exec.ret"].at(1).value), -2);
}

TEST(Execsnoop, ABadRegexIsAConfigurationError) {
  EXPECT_THROW(ModuleHarness("execsnoop", "args = ([\n"), config::ConfigError);
}

}  // namespace
