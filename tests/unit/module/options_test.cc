// A module section's keys, checked against what the module declares.
#include "module/options.h"

#include <gtest/gtest.h>

#include <string>

#include "config/ini.h"
#include "support/sample_module.h"

using namespace bcc;
using bcc::testing::options_of;
using bcc::testing::sample_spec;

namespace {

std::string option_error(const std::string& body) {
  try {
    options_of(body);
  } catch (const config::ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(ModuleOptions, DefaultsAndValues) {
  ModuleOptions defaults(sample_spec().options());
  EXPECT_FALSE(defaults.flag("queued"));
  EXPECT_EQ(defaults.number("count"), 20u);
  ModuleOptions set = options_of("queued = True\ncount = 7\n");
  EXPECT_TRUE(set.flag("queued"));
  EXPECT_EQ(set.number("count"), 7u);
}

TEST(ModuleOptions, UnknownKeyListsAcceptedKeys) {
  EXPECT_EQ(option_error("qeued = True\n"),
            "bcc.conf:4: [s] unknown key 'qeued'; this module accepts: module, cluster, prefix, "
            "debug, queued, count");
}

TEST(ModuleOptions, BadValuesSayWhatIsExpected) {
  EXPECT_EQ(option_error("queued = perhaps\n"),
            "bcc.conf:4: [s] queued = 'perhaps': expected True or False");
  EXPECT_EQ(option_error("count = 0\n"),
            "bcc.conf:4: [s] count = '0': expected a whole number from 1 to 100");
}

}  // namespace
