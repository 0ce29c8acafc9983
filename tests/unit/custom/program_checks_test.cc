// A custom program's checks: its `process` option as its probes need it,
// and its exported maps once loaded.
#include "custom/program_checks.h"

#include <gtest/gtest.h>
#include <linux/bpf.h>

#include <map>
#include <stdexcept>
#include <string>

#include "config/ini.h"
#include "module/options.h"

namespace bcc {
namespace {

// Maps whose shapes a test sets; reading any other fails as a map the
// program lacks does.
class ShapedMaps : public Maps {
 public:
  int fd(const std::string& name) const override {
    throw std::runtime_error("no map '" + name + "'");
  }
  MapInfo info(const std::string& name) override {
    auto it = shapes.find(name);
    if (it == shapes.end()) throw std::runtime_error("no map '" + name + "'");
    return it->second;
  }
  std::map<std::string, MapInfo> shapes;
};

const std::vector<OptionSpec> kOptions = {text_option("process", "processes")};

// The configure error for a section's keys, "" when it passes.
std::string configure_error(CustomProgramChecks& checks, const std::string& keys) {
  config::IniFile file = config::parse_ini_text("[p]\nmodule = custom\n" + keys, "bcc.conf");
  ModuleOptions options(file, file.sections.at(0), kOptions);
  try {
    checks.configure(options);
  } catch (const config::ConfigError& e) {
    return e.what();
  }
  return "";
}

CustomProgram program_of(std::string source) {
  CustomProgram p;
  p.name = "p";
  p.source = std::move(source);
  return p;
}

TEST(CustomProgramChecks, UsdtProbesNeedAProcessToFollow) {
  CustomProgram p = program_of("int usdt__start(void *ctx) { return 0; }\n");
  p.usdts = {"/bin/x:start"};
  CustomProgramChecks checks(p, {}, p.source);
  EXPECT_EQ(configure_error(checks, ""), "usdts: USDT probes follow one process: set process");
  EXPECT_EQ(configure_error(checks, "process = java\n"), "");
}

TEST(CustomProgramChecks, KernelProbesAreLimitedToProcessesOnlyByPidFollowed) {
  CustomProgram blind = program_of("TRACEPOINT_PROBE(sched, sched_switch) { return 0; }\n");
  CustomProgramChecks unfiltered(blind, {}, blind.source);
  EXPECT_EQ(configure_error(unfiltered, ""), "");
  EXPECT_NE(configure_error(unfiltered, "process = sshd\n")
                .find("process: the program must call pid_followed()"),
            std::string::npos);
  CustomProgram filtered = program_of(
      "TRACEPOINT_PROBE(sched, sched_switch) { if (!pid_followed()) return 0; return 0; }\n");
  CustomProgramChecks checks(filtered, {}, filtered.source);
  EXPECT_EQ(configure_error(checks, "process = sshd\n"), "");
}

TEST(CustomProgramChecks, UprobesFollowEachProcessWithoutPidFollowed) {
  CustomProgram p = program_of("int uprobe__malloc(void *ctx) { return 0; }\n");
  p.uprobes = {"c:malloc"};
  CustomProgramChecks checks(p, {}, p.source);
  EXPECT_EQ(configure_error(checks, ""), "");
  EXPECT_EQ(configure_error(checks, "process = sshd\n"), "");
}

TEST(CustomProgramChecks, ExportedMapsMustExistAndSuitTheirExport) {
  std::string source =
      "BPF_HISTOGRAM(dist);\nBPF_HASH(calls, u32, u64);\n"
      "TRACEPOINT_PROBE(sched, sched_switch) { return 0; }\n";
  CustomProgram p = program_of(source);
  CustomProgramChecks checks(p, parse_exports("dist:histogram:usec, missing:counter"), source);
  ShapedMaps maps;
  maps.shapes["dist"] = {BPF_MAP_TYPE_ARRAY, 4, 8, 64};
  EXPECT_EQ(checks.attached(maps),
            "export 'missing': the program has no map 'missing' (its maps: dist, calls)");
  CustomProgramChecks hash_for_histogram(p, parse_exports("calls:histogram"), source);
  maps.shapes["calls"] = {BPF_MAP_TYPE_HASH, 4, 8, 1024};
  EXPECT_NE(hash_for_histogram.attached(maps).find("export 'calls': "), std::string::npos);
  CustomProgramChecks fine(p, parse_exports("dist:histogram:usec, calls:counter"), source);
  EXPECT_EQ(fine.attached(maps), "");
}

}  // namespace
}  // namespace bcc
