#include "config/ini.h"

#include <gtest/gtest.h>

using bcc::config::ConfigError;
using bcc::config::parse_ini_text;

namespace {

std::string error_of(const std::string& text) {
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
  EXPECT_EQ(error_of("[pmda]\nmodules = a\nthis is not a key\n"),
            "bcc.conf:3: expected '[section]', 'key = value' or a '#' comment");
}

TEST(Ini, DuplicateKeyIsAnError) {
  std::string e = error_of("[pmda]\nmodules = a\nmodules = b\n");
  EXPECT_NE(e.find("bcc.conf:3"), std::string::npos) << e;
  EXPECT_NE(e.find("'modules' is set twice (first at line 2)"), std::string::npos) << e;
}

TEST(Ini, DuplicateSectionIsAnError) {
  std::string e = error_of("[a]\nx = 1\n[b]\ny = 2\n[a]\nz = 3\n");
  EXPECT_NE(e.find("section [a] appears twice"), std::string::npos) << e;
}

TEST(Ini, KeyOutsideSectionIsAnError) {
  EXPECT_NE(error_of("modules = a\n").find("before any [section]"), std::string::npos);
}

TEST(Ini, BinaryAndHugeFilesAreRefused) {
  EXPECT_NE(error_of(std::string("[pmda]\0\1\2", 9)).find("NUL"), std::string::npos);
  EXPECT_NE(error_of(std::string(2 << 20, 'x')).find("at most"), std::string::npos);
  EXPECT_NE(error_of("[pmda]\nmodules = " + std::string(5000, 'a') + "\n").find("longer than"),
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

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "config/trusted_file.h"

namespace {

TEST(TrustedFile, RefusesFilesOthersCanWrite) {
  if (geteuid() != 0) GTEST_SKIP() << "ownership checks apply only when running as root";
  char dir[] = "/var/tmp/pmdabcc-trust-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  chmod(dir, 0755);
  std::string path = std::string(dir) + "/bcc.conf";
  std::ofstream(path) << "[pmda]\n";
  chmod(path.c_str(), 0644);
  EXPECT_EQ(bcc::config::untrusted_reason(path), "");
  chmod(path.c_str(), 0666);
  std::string why = bcc::config::untrusted_reason(path);
  EXPECT_NE(why.find("writable by group or others (mode 0666)"), std::string::npos) << why;
  EXPECT_NE(why.find("chmod go-w"), std::string::npos) << why;
  chmod(path.c_str(), 0644);
  chown(path.c_str(), 65534, 0);
  EXPECT_NE(bcc::config::untrusted_reason(path).find("owned by uid 65534"), std::string::npos);
  chown(path.c_str(), 0, 0);
  chmod(dir, 0777);
  EXPECT_NE(bcc::config::untrusted_reason(path).find("its folder is writable"), std::string::npos);
  chmod(dir, 01777);  // sticky, like /tmp: others cannot replace root's file
  EXPECT_EQ(bcc::config::untrusted_reason(path), "");
  chmod(dir, 0777);
  try {
    bcc::config::read_ini_file(path);
    ADD_FAILURE() << "an untrusted file was read";
  } catch (const bcc::config::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("refusing to load it"), std::string::npos);
  }
  unlink(path.c_str());
  rmdir(dir);
}

}  // namespace
