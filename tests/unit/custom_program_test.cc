#include <gtest/gtest.h>
#include <linux/bpf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <filesystem>

#include "custom/export_check.h"
#include "custom/export_spec.h"
#include "module/key_decoders.h"
#include "custom/program_scan.h"
#include "module/process_instances.h"

namespace bcc {
namespace {

std::string bytes_of(const void* data, size_t size) {
  return std::string(static_cast<const char*>(data), size);
}
template <typename T>
std::string key_of(T value) {
  return bytes_of(&value, sizeof(value));
}

TEST(ExportParser, KeyFormWithUnitsAndDecoders) {
  auto exports = parse_exports("dist:histogram:usec, switches:counter:count:key=u32:cpu");
  ASSERT_EQ(exports.size(), 2u);
  EXPECT_EQ(exports[0].map, "dist");
  EXPECT_EQ(exports[0].kind, ExportKind::log2_histogram);
  EXPECT_EQ(exports[0].units, "usec");
  EXPECT_EQ(exports[1].map, "switches");
  EXPECT_EQ(exports[1].kind, ExportKind::counter);
  EXPECT_EQ(exports[1].units, "count");
  EXPECT_EQ(exports[1].key.type, "u32");
  EXPECT_EQ(exports[1].key.decoder, "cpu");
}

TEST(ExportParser, DefaultsAndOrderOfFields) {
  Export e = parse_export("calls:gauge");
  EXPECT_EQ(e.kind, ExportKind::gauge);
  EXPECT_EQ(e.units, "none");
  EXPECT_EQ(e.key.decoder, "number");
  EXPECT_EQ(e.key.type, "");
  Export f = parse_export("flows:counter:key=ipv4:port:bytes");
  EXPECT_EQ(f.key.decoder, "ipv4:port");
  EXPECT_EQ(f.units, "bytes");
  Export g = parse_export("by_pid:counter:key=pid");
  EXPECT_EQ(g.key.decoder, "pid");
  EXPECT_EQ(g.key.type, "");
  // "none" after a key type is the decoder (one summed value), whatever
  // comes before: not a second unit
  Export h = parse_export("calls counter count key=u32:none");
  EXPECT_EQ(h.key.decoder, "none");
  EXPECT_EQ(h.key.type, "u32");
  EXPECT_EQ(h.units, "count");
}

TEST(ExportParser, LinearHistograms) {
  Export e = parse_export("sizes:histogram:bytes:linear=512");
  EXPECT_EQ(e.kind, ExportKind::linear_histogram);
  EXPECT_EQ(e.width, 512u);
  EXPECT_THROW(parse_export("sizes:histogram:linear=0"), std::invalid_argument);
  EXPECT_THROW(parse_export("calls:counter:linear=10"), std::invalid_argument);
}

TEST(ExportParser, ErrorsSayWhatIsExpected) {
  auto message = [](const std::string& text) {
    try {
      parse_exports(text);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message("dist").find("expected map:kind"), std::string::npos);
  EXPECT_NE(message("dist:histo").find("expected histogram, counter or gauge"), std::string::npos);
  EXPECT_NE(message("dist:histogram:parsecs").find("unexpected 'parsecs'"), std::string::npos);
  EXPECT_NE(message("c:counter:key=colour").find("unknown key decoder 'colour'"),
            std::string::npos);
  EXPECT_NE(message("c:counter:key=u8:ksym").find("does not suit"), std::string::npos);
  EXPECT_NE(message("d:histogram:key=cpu").find("drop key="), std::string::npos);
  EXPECT_NE(message("9lives:counter").find("not a map name"), std::string::npos);
}

TEST(Annotations, ExportsWithHelpAndHelpForKeyExports) {
  const std::string source = R"(
// export: dist histogram usec
// help: run queue latency. Time from wakeup to running.
BPF_HISTOGRAM(dist);
// export: calls counter count key=syscall
BPF_HASH(calls, u32, u64);
// help other: counted elsewhere
int x; // export: not_at_line_start counter
)";
  Annotations a = scan_annotations(source);
  ASSERT_EQ(a.exports.size(), 2u);
  EXPECT_EQ(a.exports[0].map, "dist");
  EXPECT_EQ(a.exports[0].help, "run queue latency. Time from wakeup to running.");
  EXPECT_EQ(a.exports[1].key.decoder, "syscall");
  EXPECT_EQ(a.exports[1].help, "");
  ASSERT_EQ(a.help.size(), 1u);
  EXPECT_EQ(a.help[0], (std::pair<std::string, std::string>{"other", "counted elsewhere"}));
}

TEST(Annotations, BadAnnotationNamesItsLine) {
  try {
    scan_annotations("int a;\n\n// export: dist histogram lightyears\n");
    FAIL() << "expected an error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("line 3"), std::string::npos) << e.what();
  }
}

TEST(ProgramExports, KeyWinsAnnotationsFillIn) {
  const std::string source =
      "// export: dist histogram usec\n// help: latency\n"
      "// export: other counter count\n// help other2: never used\n";
  auto exports = program_exports("dist:histogram:nsec", source);
  ASSERT_EQ(exports.size(), 2u);
  EXPECT_EQ(exports[0].map, "dist");
  EXPECT_EQ(exports[0].units, "nsec");   // the key's declaration
  EXPECT_EQ(exports[0].help, "latency");  // the annotation's help
  EXPECT_EQ(exports[1].map, "other");
  EXPECT_THROW(program_exports("a:counter, a:gauge", ""), std::invalid_argument);
  EXPECT_THROW(program_exports("", "// export: a counter\n// export: a gauge\n"),
               std::invalid_argument);
  EXPECT_TRUE(program_exports("", "int x;").empty());
}

TEST(Units, KnownUnits) {
  EXPECT_EQ(units_named("usec").dimTime, 1);
  EXPECT_EQ(units_named("usec").scaleTime, PM_TIME_USEC);
  EXPECT_EQ(units_named("bytes").dimSpace, 1);
  EXPECT_EQ(units_named("count").dimCount, 1);
  EXPECT_EQ(units_named("none").dimTime, 0);
  EXPECT_THROW(units_named("furlongs"), std::invalid_argument);
}

TEST(ProbeScan, FindsProbesByBccNamesInOrder) {
  const std::string source = R"(
TRACEPOINT_PROBE(sched, sched_wakeup) { return 0; }
RAW_TRACEPOINT_PROBE(sched_switch) { return 0; }
int kprobe__tcp_sendmsg(struct pt_regs *ctx) { return 0; }
int kretprobe__tcp_sendmsg(struct pt_regs *ctx) { return 0; }
// TRACEPOINT_PROBE(block, block_rq_issue) is commented out
/* int kprobe__vfs_read(void) */
TRACEPOINT_PROBE(sched, sched_wakeup) { return 0; }
static const char *s = "kprobe__in_a_string(";
)";
  auto chains = kernel_probes_in(source);
  ASSERT_EQ(chains.size(), 4u);
  EXPECT_EQ(chains[0].alternatives[0].type, ProbeType::tracepoint);
  EXPECT_EQ(chains[0].alternatives[0].target, "sched:sched_wakeup");
  EXPECT_EQ(chains[0].name, "tracepoint__sched__sched_wakeup");
  EXPECT_EQ(chains[1].alternatives[0].type, ProbeType::raw_tracepoint);
  EXPECT_EQ(chains[1].alternatives[0].target, "sched_switch");
  EXPECT_EQ(chains[2].alternatives[0].type, ProbeType::kprobe);
  EXPECT_EQ(chains[2].alternatives[0].target, "tcp_sendmsg");
  EXPECT_EQ(chains[3].alternatives[0].type, ProbeType::kretprobe);
  EXPECT_TRUE(kernel_probes_in("int main;").empty());
}

TEST(ProbeScan, CommentsBecomeBlanksKeepingLines) {
  std::string text = "a // x\nb /* y\nz */ c \"// not\"\n";
  std::string out = code_only(text);
  EXPECT_EQ(out.size(), text.size());
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 3);
  EXPECT_EQ(out.find('x'), std::string::npos);
  EXPECT_EQ(out.find('y'), std::string::npos);
  EXPECT_EQ(out.find("not"), std::string::npos);
  EXPECT_NE(out.find("c \"      \""), std::string::npos);
  EXPECT_TRUE(defines_function("int uprobe__malloc(struct pt_regs *ctx)", "uprobe__malloc"));
  EXPECT_FALSE(defines_function("// int uprobe__malloc(", "uprobe__malloc"));
  EXPECT_FALSE(defines_function("int my_uprobe__malloc(", "uprobe__malloc"));
}

TEST(KeyDecoders, Numbers) {
  EXPECT_EQ(make_key_decoder({"", "number"})(key_of<uint32_t>(42)), "42");
  EXPECT_EQ(make_key_decoder({"s32", "number"})(key_of<int32_t>(-3)), "-3");
  EXPECT_EQ(make_key_decoder({"", "hex"})(key_of<uint64_t>(0x2a)), "0x2a");
  EXPECT_EQ(make_key_decoder({"u32", "cpu"})(key_of<uint32_t>(3)), "cpu3");
  EXPECT_EQ(make_key_decoder({"", "number"})(key_of<uint8_t>(7)), "7");
}

TEST(KeyDecoders, Names) {
  EXPECT_EQ(make_key_decoder({"", "syscall"})(key_of<uint32_t>(0)), "read");
  EXPECT_EQ(make_key_decoder({"s64", "syscall"})(key_of<int64_t>(257)), "openat");
  EXPECT_EQ(make_key_decoder({"", "errno"})(key_of<int32_t>(-ENOENT)), "ENOENT");
  EXPECT_EQ(make_key_decoder({"", "errno"})(key_of<uint32_t>(EACCES)), "EACCES");
  // numbers no errno can be stay numbers: no overflow, no alias after truncation
  EXPECT_EQ(make_key_decoder({"s64", "errno"})(key_of<int64_t>(INT64_MIN)),
            "-9223372036854775808");
  EXPECT_EQ(make_key_decoder({"s64", "errno"})(key_of<int64_t>((int64_t{1} << 32) + ENOENT)),
            "4294967298");
  EXPECT_EQ(make_key_decoder({"s64", "errno"})(key_of<int64_t>(-ENOENT)), "ENOENT");
  char comm[16] = "bash";
  EXPECT_EQ(make_key_decoder({"", "comm"})(bytes_of(comm, sizeof(comm))), "bash");
  // "PID cmd", as the per-process modules name processes
  std::string own = make_key_decoder({"", "pid"})(key_of<uint32_t>(getpid()));
  EXPECT_EQ(own, process_instance_name(getpid()));
  EXPECT_EQ(own.substr(0, 7), padded_pid(getpid()) + " ");
  // kallsyms is readable here; an address no symbol covers
  EXPECT_EQ(make_key_decoder({"", "ksym"})(key_of<uint64_t>(1)), "[unknown]");
}

TEST(KeyDecoders, Addresses) {
  uint8_t v4[8] = {10, 0, 0, 1, 0, 0, 0, 0};
  uint16_t port = 8080;
  std::memcpy(v4 + 4, &port, 2);
  EXPECT_EQ(make_key_decoder({"", "ipv4"})(bytes_of(v4, 4)), "10.0.0.1");
  EXPECT_EQ(make_key_decoder({"", "ipv4:port"})(bytes_of(v4, 8)), "10.0.0.1:8080");
  uint8_t v6[24] = {};
  v6[15] = 1;
  std::memcpy(v6 + 16, &port, 2);
  EXPECT_EQ(make_key_decoder({"", "ipv6"})(bytes_of(v6, 16)), "::1");
  EXPECT_EQ(make_key_decoder({"", "ipv6:port"})(bytes_of(v6, 24)), "[::1]:8080");
}

TEST(KeyDecoders, BlockDevicesFallBackToNumbers) {
  // major 1 << 20 | minor 3: no such block device anywhere
  uint32_t dev = (4000u << 20) | 3;
  EXPECT_EQ(make_key_decoder({"", "disk"})(key_of(dev)), "4000:3");
}

TEST(KeyDecoders, CgroupPathsFromIds) {
  namespace fs = std::filesystem;
  fs::path root = fs::temp_directory_path() / ("cgroups-" + std::to_string(getpid()));
  fs::create_directories(root / "system.slice" / "pmcd.service");
  struct stat st {};
  ASSERT_EQ(stat((root / "system.slice" / "pmcd.service").c_str(), &st), 0);
  KeyDecoder decode = make_key_decoder({"u64", "cgroup"}, root.string());
  EXPECT_EQ(decode(key_of<uint64_t>(st.st_ino)), "/system.slice/pmcd.service");
  ASSERT_EQ(stat(root.c_str(), &st), 0);
  EXPECT_EQ(decode(key_of<uint64_t>(st.st_ino)), "/");
  fs::remove_all(root);
}

TEST(KeyDecoders, KeySizes) {
  EXPECT_EQ(key_size_problem({"", "number"}, 4), "");
  EXPECT_NE(key_size_problem({"u32", "number"}, 8).find("not u32"), std::string::npos);
  EXPECT_NE(key_size_problem({"", "ksym"}, 4).find("8 bytes"), std::string::npos);
  EXPECT_EQ(key_size_problem({"", "comm"}, 16), "");
  EXPECT_NE(key_size_problem({"", "ipv6:port"}, 16).find("u16 port"), std::string::npos);
  EXPECT_EQ(key_size_problem({"", "none"}, 12), "");
}

TEST(ExportCheck, MapShapes) {
  MapInfo array{BPF_MAP_TYPE_ARRAY, 4, 8, 64};
  MapInfo hash{BPF_MAP_TYPE_HASH, 4, 8, 1024};
  MapInfo small_values{BPF_MAP_TYPE_HASH, 4, 4, 1024};
  MapInfo perf{BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, 2};
  Export dist = parse_export("dist:histogram:usec");
  Export calls = parse_export("calls:counter:key=u32:syscall");
  EXPECT_EQ(export_map_problem(dist, array), "");
  EXPECT_NE(export_map_problem(dist, hash).find("needs an array"), std::string::npos);
  EXPECT_EQ(export_map_problem(calls, hash), "");
  EXPECT_NE(export_map_problem(calls, small_values).find("4-byte values"), std::string::npos);
  EXPECT_NE(export_map_problem(calls, perf).find("not a hash or an array"), std::string::npos);
  MapInfo wide_keys{BPF_MAP_TYPE_HASH, 8, 8, 1024};
  EXPECT_NE(export_map_problem(calls, wide_keys).find("not u32"), std::string::npos);
}

}  // namespace
}  // namespace bcc

#include "bpf/compile_errors.h"

namespace bcc {
namespace {

TEST(CompileErrors, LinesOfTheProgramAsWritten) {
  const std::string source = "BPF_HASH(counts, u32, u64);\nint f() {\n  return nope;\n}\n";
  // as libbcc reports it, after inserting lines above the function
  const std::string output =
      "/virtual/main.c:13:10: error: use of undeclared identifier 'nope'\n"
      "  return nope;\n"
      "         ^\n"
      "1 error generated.\n";
  EXPECT_EQ(compile_errors(output, source),
            "/virtual/main.c:3:10: error: use of undeclared identifier 'nope'");
  // nothing to find: the line number stays
  EXPECT_EQ(compile_errors("x.c:7:1: error: bad\n  elsewhere();\n", source),
            "x.c:7:1: error: bad");
  EXPECT_EQ(compile_errors("error: no location\n", source), "error: no location");
}

TEST(CompileErrors, PreludeBeforeLineOneIsNotCounted) {
  const std::string source =
      "BPF_HASH(filter, u32, u8);\n  return nope;\n#line 1\n#include <x.h>\nint f() {\n"
      "  return nope;\n}\n";
  const std::string output =
      "/virtual/main.c:3:10: error: use of undeclared identifier 'nope'\n"
      "  return nope;\n"
      "         ^\n";
  EXPECT_EQ(compile_errors(output, source),
            "/virtual/main.c:3:10: error: use of undeclared identifier 'nope'");
}

// A PMID has 1024 item numbers, one per export: the 1025th is refused
// with the reason instead of reusing a PMID.
TEST(ExportParser, MoreExportsThanPmidItemsAreRefused) {
  std::string key;
  for (int i = 0; i < 1024; i++)
    key += (i ? "," : "") + std::string("m") + std::to_string(i) + ":counter";
  EXPECT_EQ(program_exports(key, "").size(), 1024u);
  try {
    program_exports(key, "// export: one_more counter\n");
    FAIL() << "1025 exports accepted";
  } catch (const std::length_error& e) {
    EXPECT_NE(std::string(e.what()).find("1025 exports, at most 1024"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace bcc
