// Building a module's program through a loader (faked here): the first
// alternative of each chain the kernel offers, the next one when attaching
// it fails; optional probes left out with why; errors that say what failed.
#include "module/program_build.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

using namespace bcc;

namespace {

class FakeKernel : public KernelProbes {
 public:
  std::set<std::string> present;
  std::string unavailable(const ProbeAlternative& alt) const override {
    return present.count(alt.describe()) ? "" : "missing";
  }
};

// A loader that attaches everything but the alternatives in `refused`.
struct FakeLoader {
  std::set<std::string> refused;
  std::string compile_error;
  std::vector<loader::BuildRequest> requests;
  ProgramBuilder::RunLoader run() {
    return [this](const loader::BuildRequest& request, std::chrono::seconds) {
      requests.push_back(request);
      BuildOutcome out;
      out.kernel_headers = "BTF of the running kernel";
      out.compile_seconds = 1.5;
      if (!compile_error.empty()) {
        out.error = compile_error;
        return out;
      }
      for (const ProbeAlternative& alt : request.attach)
        out.attach_errors.push_back(refused.count(alt.describe()) ? "EPERM" : "");
      return out;
    };
  }
};

struct Fixture {
  ModuleSpec spec{"test"};
  FakeKernel kernel;
  FakeLoader loader;
  BuildSettings settings;
  std::vector<std::string> logged;
  Fixture() {
    spec.program_text("BPF_HASH(counts, u32, u64);\n", "test.bpf");
    settings.name = "t";
    settings.kernel = &kernel;
  }
  ProgramBuild build() {
    ModuleOptions options(spec.options());
    ProgramBuilder builder(spec, options, settings,
                           [this](int, const std::string& line) { logged.push_back(line); },
                           loader.run());
    return builder.build({});
  }
};

std::string used(const ProgramBuild& b) {
  std::string out;
  for (const auto& [probe, alt] : b.used) out += probe + "=" + alt.describe() + ";";
  return out;
}

TEST(ProgramBuild, TheFirstAlternativeTheKernelOffersIsCompiledIn) {
  Fixture f;
  f.spec.probe("switch", {tracepoint("sched:sched_switch"), kprobe("finish_task_switch")});
  f.kernel.present = {"kprobe finish_task_switch"};
  ProgramBuild b = f.build();
  EXPECT_EQ(b.error, "");
  EXPECT_EQ(used(b), "switch=kprobe finish_task_switch;");
  ASSERT_EQ(f.loader.requests.size(), 1u);
  const loader::BuildRequest& r = f.loader.requests[0];
  EXPECT_EQ(r.name, "t");
  EXPECT_EQ(r.origin, "test.bpf");
  EXPECT_EQ(r.maps, (std::vector<std::string>{"counts"}));
  EXPECT_NE(std::find(r.defines.begin(), r.defines.end(), "SWITCH_KPROBE"), r.defines.end());
  EXPECT_EQ(b.compiled_against, "BTF of the running kernel");
  EXPECT_EQ(b.compile_seconds, 1.5);
  EXPECT_EQ(b.map_names, (std::vector<std::string>{"counts"}));
}

TEST(ProgramBuild, ARequiredProbeThatFailsToAttachTriesItsNextAlternative) {
  Fixture f;
  f.spec.probe("switch", {tracepoint("sched:sched_switch"), raw_tracepoint("sched_switch")});
  f.kernel.present = {"tracepoint sched:sched_switch", "raw_tracepoint sched_switch"};
  f.loader.refused = {"tracepoint sched:sched_switch"};
  ProgramBuild b = f.build();
  EXPECT_EQ(b.error, "");
  EXPECT_EQ(used(b), "switch=raw_tracepoint sched_switch;");
  EXPECT_EQ(f.loader.requests.size(), 2u);
  ASSERT_EQ(f.logged.size(), 1u);
  EXPECT_EQ(f.logged[0],
            "probe 'switch': tracepoint sched:sched_switch failed: EPERM; trying the next");
}

TEST(ProgramBuild, WhenEveryAlternativeFailsToAttachTheErrorSaysSo) {
  Fixture f;
  f.spec.probe("switch", {tracepoint("sched:sched_switch"), raw_tracepoint("sched_switch")});
  f.kernel.present = {"tracepoint sched:sched_switch", "raw_tracepoint sched_switch"};
  f.loader.refused = {"tracepoint sched:sched_switch", "raw_tracepoint sched_switch"};
  ProgramBuild b = f.build();
  EXPECT_EQ(b.error, "probe 'switch': no alternative works: tracepoint sched:sched_switch: "
                     "failed to attach; raw_tracepoint sched_switch: failed to attach");
  EXPECT_EQ(f.loader.requests.size(), 2u);
}

TEST(ProgramBuild, AnOptionalProbeThatFailsToAttachIsLeftOutWithWhy) {
  Fixture f;
  f.spec.probe("a", {tracepoint("x:a")}).optional_probe("b", {tracepoint("x:b")});
  f.kernel.present = {"tracepoint x:a", "tracepoint x:b"};
  f.loader.refused = {"tracepoint x:b"};
  ProgramBuild b = f.build();
  EXPECT_EQ(b.error, "");
  EXPECT_EQ(used(b), "a=tracepoint x:a;");
  EXPECT_EQ(b.missing,
            (std::vector<std::pair<std::string, std::string>>{{"b", "tracepoint x:b: EPERM"}}));
  EXPECT_EQ(f.loader.requests.size(), 1u);
  ASSERT_EQ(f.logged.size(), 1u);
  EXPECT_EQ(f.logged[0], "probe 'b': tracepoint x:b failed: EPERM; running without it");
}

TEST(ProgramBuild, AnOptionalProbeTheKernelLacksIsNotCompiledIn) {
  Fixture f;
  f.spec.probe("a", {tracepoint("x:a")}).optional_probe("b", {tracepoint("x:b")});
  f.kernel.present = {"tracepoint x:a"};
  ProgramBuild b = f.build();
  EXPECT_EQ(b.error, "");
  EXPECT_EQ(b.missing, (std::vector<std::pair<std::string, std::string>>{
                           {"b", "tracepoint x:b: missing"}}));
  ASSERT_EQ(f.loader.requests.size(), 1u);
  EXPECT_EQ(f.loader.requests[0].attach.size(), 1u);
}

TEST(ProgramBuild, NothingToAttachIsAnErrorWithoutALoaderRun) {
  Fixture f;
  f.spec.optional_probe("b", {tracepoint("x:b")});
  ProgramBuild b = f.build();
  EXPECT_EQ(b.error, "no probe of this module is available on the running kernel: probe 'b': "
                     "tracepoint x:b: missing");
  EXPECT_TRUE(f.loader.requests.empty());
  Fixture g;
  g.spec.probe("a", {tracepoint("x:a")});
  EXPECT_EQ(g.build().error, "probe 'a': no alternative works: tracepoint x:a: missing");
}

TEST(ProgramBuild, ACompileErrorSaysWhatItWasCompiledAgainst) {
  Fixture f;
  f.spec.probe("a", {tracepoint("x:a")});
  f.kernel.present = {"tracepoint x:a"};
  f.loader.compile_error = "test.bpf:1:1: error: oops";
  EXPECT_EQ(f.build().error,
            "compile failed: test.bpf:1:1: error: oops [compiled against BTF of the running "
            "kernel]");
}

TEST(ProgramBuild, MissingProbesAreDescribedInOrder) {
  EXPECT_EQ(describe_missing({{"a", "why a"}, {"b", "why b"}}),
            "probe 'a': why a; probe 'b': why b");
  EXPECT_EQ(describe_missing({}), "");
}

}  // namespace
