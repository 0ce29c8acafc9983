// The language a runtime-probing module follows: configured or detected.
#include <gtest/gtest.h>
#include <unistd.h>

#include "config/ini.h"
#include "module/language_option.h"
#include "module/options.h"

namespace bcc {
namespace {

const std::vector<std::string> kSupported = {"java", "ruby"};

ModuleOptions language_set_to(const std::string& value) {
  static std::vector<config::IniFile> keep;  // sections are referenced, keep files alive
  keep.push_back(config::parse_ini_text(
      "[s]\nmodule = ucalls\ncluster = 1\nlanguage = " + value + "\n", "bcc.conf"));
  return ModuleOptions(keep.back(), *keep.back().find("s"), {language_option(kSupported)});
}

TEST(LanguageOption, ConfiguredLanguageWins) {
  ModuleOptions options = language_set_to("ruby");
  EXPECT_NO_THROW(check_language_option(options, kSupported));
  EXPECT_EQ(language_to_follow(options, {getpid()}, kSupported), "ruby");
}

TEST(LanguageOption, UnsupportedLanguageIsAConfigurationError) {
  try {
    check_language_option(language_set_to("cobol"), kSupported);
    FAIL() << "cobol accepted";
  } catch (const config::ConfigError& e) {
    EXPECT_STREQ(e.what(), "language: 'cobol' is not one of java, ruby");
  }
}

TEST(LanguageOption, DetectedFromTheFirstProcess) {
  ModuleOptions unset({language_option(kSupported)});
  EXPECT_EQ(language_to_follow(unset, {}, kSupported), "");
  try {
    language_to_follow(unset, {getpid()}, kSupported);
    FAIL() << "a native process passed for java or ruby";
  } catch (const config::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("pid " + std::to_string(getpid()) +
                                         " not recognised (detected 'c'"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(language_to_follow(unset, {getpid()}, {"c"}), "c");
}

}  // namespace
}  // namespace bcc
