// The JSON of the loader protocol: requests and manifests round trip.
#include "loader/protocol.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

using namespace bcc;
using namespace bcc::loader;

namespace {

BuildRequest sample_request() {
  BuildRequest r;
  r.name = "runqlat";
  r.source = "#include <uapi/linux/ptrace.h>\nBPF_ARRAY(counts, u64, 1);\n";
  r.origin = "runqlat.bpf";
  r.defines = {"WAKEUP_TRACEPOINT", "MAX=10"};
  r.usdt = {usdt("/usr/bin/python3", "python", "function__entry", "trace_entry", 42)};
  ProbeAlternative pe = perf_event("software:cpu-clock");
  pe.sampling.frequency = 49;
  pe.sampling.cpu = 1;
  r.attach = {tracepoint("sched:sched_switch"), uprobe("/bin/bash", "readline", "f"), pe};
  r.maps = {"counts", "dist"};
  r.policy = SourcePolicy::custom;
  r.include_dir = "/etc/pcp/bcc";
  return r;
}

TEST(Protocol, RequestRoundTrips) {
  BuildRequest r = sample_request();
  BuildRequest back = request_from_json(to_json(r));
  EXPECT_EQ(back.name, r.name);
  EXPECT_EQ(back.source, r.source);
  EXPECT_EQ(back.origin, r.origin);
  EXPECT_EQ(back.defines, r.defines);
  ASSERT_EQ(back.usdt.size(), 1u);
  EXPECT_EQ(back.usdt[0].type, ProbeType::usdt);
  EXPECT_EQ(back.usdt[0].target, r.usdt[0].target);
  EXPECT_EQ(back.usdt[0].function, "trace_entry");
  EXPECT_EQ(back.usdt[0].pid, 42);
  ASSERT_EQ(back.attach.size(), 3u);
  for (size_t i = 0; i < 3; i++) {
    EXPECT_EQ(back.attach[i].type, r.attach[i].type);
    EXPECT_EQ(back.attach[i].target, r.attach[i].target);
    EXPECT_EQ(back.attach[i].function, r.attach[i].function);
  }
  EXPECT_EQ(back.attach[2].sampling.frequency, 49u);
  EXPECT_EQ(back.attach[2].sampling.cpu, 1);
  EXPECT_EQ(back.maps, r.maps);
  EXPECT_EQ(back.policy, SourcePolicy::custom);
  EXPECT_EQ(back.include_dir, r.include_dir);
}

TEST(Protocol, HostileTextRoundTripsAndInvalidUtf8IsReplaced) {
  BuildRequest r = sample_request();
  std::string controls;
  for (int c = 1; c < 32; c++) controls += static_cast<char>(c);
  r.source = "a\nb\r\n\"quoted\"\\" + controls + std::string("\0nul", 4) + "\x7f";
  r.name = "name with spaces\nand newline";
  std::string json = to_json(r);
  EXPECT_EQ(json.find('\n'), std::string::npos);  // one line
  BuildRequest back = request_from_json(json);
  EXPECT_EQ(back.source, r.source);  // valid UTF-8, NUL and controls included
  EXPECT_EQ(back.name, r.name);

  // invalid UTF-8: to_json does not throw, the bad bytes become U+FFFD
  r.source = "ok \xff\xfe bad \xc3 end";
  ASSERT_NO_THROW(json = to_json(r));
  back = request_from_json(json);
  EXPECT_EQ(back.source, "ok \xEF\xBF\xBD\xEF\xBF\xBD bad \xEF\xBF\xBD end");
}

TEST(Protocol, ManifestRoundTrips) {
  Manifest m;
  m.error = "";
  m.compiler_output = "runqlat.bpf:3:1: warning: \xff x\n";
  m.compile_seconds = 1.25;
  m.maps = {{"counts", 3}, {"dist", 4}};
  m.attachments = {{"tracepoint__sched__sched_switch", "", 0, {1}},
                   {"f", "cannot attach uprobe", -1, {}},
                   {"perf_event__software_cpu_clock", "", 2, {5, 6}}};
  m.tracefs_events = {"p_bin_bash_0x1234_bcc_99"};
  Manifest back = manifest_from_json(to_json(m));
  EXPECT_EQ(back.compiler_output, "runqlat.bpf:3:1: warning: \xEF\xBF\xBD x\n");
  EXPECT_DOUBLE_EQ(back.compile_seconds, 1.25);
  ASSERT_EQ(back.maps.size(), 2u);
  EXPECT_EQ(back.maps[1].name, "dist");
  EXPECT_EQ(back.maps[1].fd, 4);
  ASSERT_EQ(back.attachments.size(), 3u);
  EXPECT_EQ(back.attachments[1].error, "cannot attach uprobe");
  EXPECT_EQ(back.attachments[1].program, -1);
  EXPECT_EQ(back.attachments[2].links, (std::vector<int>{5, 6}));
  EXPECT_EQ(back.tracefs_events, m.tracefs_events);
}

TEST(Protocol, MalformedJsonIsARuntimeError) {
  EXPECT_THROW(request_from_json("{"), std::runtime_error);
  EXPECT_THROW(request_from_json("{}"), std::runtime_error);
  EXPECT_THROW(manifest_from_json("[]"), std::runtime_error);
  std::string json = to_json(sample_request());
  json.replace(json.find("\"custom\""), 8, "\"root\"");
  EXPECT_THROW(request_from_json(json), std::runtime_error);
}

}  // namespace
