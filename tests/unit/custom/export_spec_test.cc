// A custom program's exports: the `exports` key and the program's own
// annotations (export, help), units, and the limit of one PMID item each.
#include "custom/export_spec.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <utility>

namespace bcc {
namespace {

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

}  // namespace
}  // namespace bcc
