// bashreadline on fake maps: each line the program sends becomes a row,
// newest first, up to process_count, the line in `comm` as typed (spaces,
// control characters); lost records counted; the uretprobe is on the
// configured binary's readline.
#include <algorithm>
#include <cstring>

#include "bashreadline.h"
#include "bpf/binaries.h"
#include "module_harness.h"

using namespace bcc;
using bcc::testing::ModuleHarness;

namespace {

void send(ModuleHarness& h, uint32_t pid, const std::string& text) {
  bashreadline_line l{};
  l.pid = pid;
  std::memcpy(l.line, text.data(), std::min(text.size(), sizeof(l.line)));
  h.spec().perf_buffers().at(0).on_event(&l, sizeof(l));
}

std::string line_at(std::map<std::string, std::vector<Sample>>& values, size_t row) {
  const std::vector<Sample>& samples = values["bashreadline.comm"];
  EXPECT_GT(samples.size(), row);
  if (samples.size() <= row) return "";
  EXPECT_EQ(samples[row].instance, std::to_string(row));
  return std::get<std::string>(samples[row].value);
}

TEST(Bashreadline, EachLineIsARowNewestFirstAsTyped) {
  ModuleHarness h("bashreadline");
  send(h, 11, "ls -l /tmp");
  send(h, 22, "echo 'a  b'\t\x01\x1b[A \n;");
  auto values = h.fetch();
  ASSERT_EQ(values["bashreadline.pid"].size(), 2u);
  EXPECT_EQ(line_at(values, 0), "echo 'a  b'\t\x01\x1b[A \n;");
  EXPECT_EQ(std::get<uint64_t>(values["bashreadline.pid"][0].value), 22u);
  EXPECT_EQ(line_at(values, 1), "ls -l /tmp");
  EXPECT_EQ(std::get<uint64_t>(values["bashreadline.pid"][1].value), 11u);
}

TEST(Bashreadline, LongLineEndsAtTheBuffer) {
  ModuleHarness h("bashreadline");
  send(h, 1, std::string(200, 'x'));  // the program always ends with a NUL; this does not
  auto values = h.fetch();
  EXPECT_EQ(line_at(values, 0), std::string(BASHREADLINE_LINE_SIZE, 'x'));
}

TEST(Bashreadline, KeepsProcessCountLinesAndCountsLost) {
  ModuleHarness h("bashreadline", "process_count = 2\n");
  for (int i = 1; i <= 3; i++) send(h, i, "line " + std::to_string(i));
  char shorter[8] = {};
  h.spec().perf_buffers().at(0).on_event(shorter, sizeof(shorter));
  h.spec().perf_buffers().at(0).on_lost(5);
  auto values = h.fetch();
  ASSERT_EQ(values["bashreadline.comm"].size(), 2u);
  EXPECT_EQ(line_at(values, 0), "line 3");
  EXPECT_EQ(line_at(values, 1), "line 2");
  ASSERT_EQ(values["bashreadline.lost"].size(), 1u);
  EXPECT_EQ(std::get<uint64_t>(values["bashreadline.lost"][0].value), 5u);
}

TEST(Bashreadline, ProbesReadlineOfTheConfiguredBinary) {
  ModuleHarness h("bashreadline");
  auto chains = h.spec().probes(h.options());
  ASSERT_EQ(chains.size(), 1u);
  ASSERT_EQ(chains[0].alternatives.size(), 1u);
  const ProbeAlternative& probe = chains[0].alternatives[0];
  EXPECT_EQ(probe.type, ProbeType::uretprobe);
  EXPECT_EQ(probe.symbol(), "readline");
  EXPECT_EQ(probe.function_name(), "bash_readline_return");
  // bash has readline built in where it is installed; else the library
  if (binary_has_symbol("/bin/bash", "readline")) {
    EXPECT_EQ(probe.binary(), "/bin/bash");
  }
  // a file without readline: the system's libreadline, or the file as given
  ModuleHarness other("bashreadline", "binary = /etc/hostname\n");
  std::string binary = other.spec().probes(other.options())[0].alternatives[0].binary();
  EXPECT_TRUE(binary == "/etc/hostname" || binary.find("libreadline") != std::string::npos)
      << binary;
}

}  // namespace
