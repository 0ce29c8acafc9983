// pmdabpf's pid and uid options: unset by default, a -D macro each when set,
// checked against their ranges.
#include "module/id_filters.h"

#include <gtest/gtest.h>

#include "config/ini.h"

using namespace bcc;

namespace {

std::vector<std::string> defines(const std::string& keys) {
  std::vector<OptionSpec> declared = {pid_option("one process"), uid_option("one user")};
  config::IniFile file = config::parse_ini_text("[m]\nmodule = m\n" + keys, "bcc.conf");
  return id_filter_defines(ModuleOptions(file, file.sections.at(0), declared));
}

TEST(IdFilters, UnsetByDefault) { EXPECT_TRUE(defines("").empty()); }

TEST(IdFilters, EachSetOptionIsAMacro) {
  EXPECT_EQ(defines("pid = 1234\n"), (std::vector<std::string>{"TARGET_PID=1234"}));
  EXPECT_EQ(defines("uid = 0\npid = 7\n"),
            (std::vector<std::string>{"TARGET_PID=7", "TARGET_UID=0"}));
}

TEST(IdFilters, OutOfRangeIsAConfigError) {
  EXPECT_THROW(defines("pid = 0\n"), config::ConfigError);
  EXPECT_THROW(defines("pid = 4194305\n"), config::ConfigError);
  EXPECT_THROW(defines("uid = 4294967295\n"), config::ConfigError);
  EXPECT_THROW(defines("uid = root\n"), config::ConfigError);
}

TEST(IdFilters, OnlyTheDeclaredOptions) {
  std::vector<OptionSpec> declared = {pid_option("one process")};
  EXPECT_TRUE(id_filter_defines(ModuleOptions(declared)).empty());
}

}  // namespace
