#include "config/ini.h"

#include <gtest/gtest.h>

using bcc::config::ConfigError;
using bcc::config::parse_ini_text;

namespace {

std::string parse_error_of(const std::string& text) {
  try {
    parse_ini_text(text, "bcc.conf");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(Ini, SectionsAndKeysKeepTheirLines) {
  auto ini = parse_ini_text("# comment\n[pmda]\nmodules = a,b\n\n[a]\nmodule = runqlat\n", "f");
  ASSERT_EQ(ini.sections.size(), 2u);
  EXPECT_EQ(ini.sections[0].name, "pmda");
  EXPECT_EQ(ini.sections[0].line, 2);
  EXPECT_EQ(ini.find("pmda")->find("modules")->value, "a,b");
  EXPECT_EQ(ini.find("a")->find("module")->line, 6);
  EXPECT_EQ(ini.where(6), "f:6");
}

TEST(Ini, LineWithoutEqualsNamesTheLine) {
  EXPECT_EQ(parse_error_of("[pmda]\nmodules = a\nthis is not a key\n"),
            "bcc.conf:3: expected '[section]', 'key = value' or a '#' comment");
}

TEST(Ini, DuplicateKeyIsAnError) {
  std::string e = parse_error_of("[pmda]\nmodules = a\nmodules = b\n");
  EXPECT_NE(e.find("bcc.conf:3"), std::string::npos) << e;
  EXPECT_NE(e.find("'modules' is set twice (first at line 2)"), std::string::npos) << e;
}

TEST(Ini, DuplicateSectionIsAnError) {
  std::string e = parse_error_of("[a]\nx = 1\n[b]\ny = 2\n[a]\nz = 3\n");
  EXPECT_NE(e.find("section [a] appears twice"), std::string::npos) << e;
}

TEST(Ini, KeyOutsideSectionIsAnError) {
  EXPECT_NE(parse_error_of("modules = a\n").find("before any [section]"), std::string::npos);
}

TEST(Ini, BinaryAndHugeFilesAreRefused) {
  EXPECT_NE(parse_error_of(std::string("[pmda]\0\1\2", 9)).find("NUL"), std::string::npos);
  EXPECT_NE(parse_error_of(std::string(2 << 20, 'x')).find("at most"), std::string::npos);
  EXPECT_NE(
      parse_error_of("[pmda]\nmodules = " + std::string(5000, 'a') + "\n").find("longer than"),
      std::string::npos);
}

TEST(Ini, LongButReasonableLinesAreRead) {
  std::string list(1000, 'a');
  auto ini = parse_ini_text("[pmda]\nmodules = " + list + "\n", "f");
  EXPECT_EQ(ini.find("pmda")->find("modules")->value, list);
}

TEST(Ini, EmptyFileHasNoSections) { EXPECT_TRUE(parse_ini_text("", "f").sections.empty()); }

TEST(Ini, MissingFileNamesThePath) {
  try {
    bcc::config::read_ini_file("/nonexistent/bcc.conf");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/bcc.conf: cannot open"), std::string::npos);
  }
}

}  // namespace
