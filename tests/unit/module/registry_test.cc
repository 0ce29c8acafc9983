// Module types by name: built-in declarations and section-dependent ones.
#include "module/registry.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "config/ini.h"
#include "module/spec.h"

using namespace bcc;

namespace {

ModuleSpec first() { return ModuleSpec("first"); }
TEST(Registry, LookupByTypeAndSortedNames) {
  Registry registry;
  registry.add("zeta", first);
  registry.add("alpha", first);
  ASSERT_NE(registry.find("zeta"), nullptr);
  EXPECT_EQ((*registry.find("zeta"))().type(), "first");
  EXPECT_EQ(registry.find("beta"), nullptr);
  EXPECT_EQ(registry.types(), (std::vector<std::string>{"alpha", "zeta"}));
  EXPECT_THROW(registry.add("alpha", first), std::logic_error);
}

// A type whose declaration depends on its section (as custom programs do)
ModuleSpec from_section(const config::IniFile&, const config::Section& section) {
  if (!section.find("program")) throw config::ConfigError("no program");
  return ModuleSpec("sectioned").summary(section.name);
}

TEST(Registry, SectionDependentTypes) {
  Registry registry;
  registry.add("zeta", first);
  registry.add("custom", from_section);
  EXPECT_EQ(registry.types(), (std::vector<std::string>{"custom", "zeta"}));
  EXPECT_EQ(registry.find("custom"), nullptr);  // no section-free factory
  config::IniFile file;
  config::Section with{"mine", 1, {{"program", "x.bpf", 2}}};
  config::Section without{"other", 1, {}};
  EXPECT_EQ(registry.make("custom", file, with).summary(), "mine");
  EXPECT_THROW(registry.make("custom", file, without), config::ConfigError);
  EXPECT_EQ(registry.make("zeta", file, without).type(), "first");
  EXPECT_THROW(registry.add("custom", first), std::logic_error);
  EXPECT_THROW(registry.add("zeta", from_section), std::logic_error);
}

}  // namespace
