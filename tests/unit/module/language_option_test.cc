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
  FollowedLanguage language(kSupported);
  EXPECT_EQ(language.language(), "");
  EXPECT_NO_THROW(language.configure(language_set_to("ruby")));
  EXPECT_EQ(language.arm({getpid()}), "ruby");
  EXPECT_EQ(language.language(), "ruby");
}

TEST(LanguageOption, UnsupportedLanguageIsAConfigurationError) {
  try {
    FollowedLanguage(kSupported).configure(language_set_to("cobol"));
    FAIL() << "cobol accepted";
  } catch (const config::ConfigError& e) {
    EXPECT_STREQ(e.what(), "language: 'cobol' is not one of java, ruby");
  }
}

TEST(LanguageOption, DetectedFromTheFirstProcess) {
  ModuleOptions unset({language_option(kSupported)});
  FollowedLanguage language(kSupported);
  language.configure(unset);
  EXPECT_EQ(language.arm({}), "");
  try {
    language.arm({getpid()});
    FAIL() << "a native process passed for java or ruby";
  } catch (const config::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("pid " + std::to_string(getpid()) +
                                         " not recognised (detected 'c'"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(language.language(), "");  // not a language to follow
  FollowedLanguage native({"c"});
  native.configure(unset);
  EXPECT_EQ(native.arm({getpid()}), "c");
}

}  // namespace
}  // namespace bcc
