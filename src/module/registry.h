// Module types by name: each modules/<name>.cc registers its declaration.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "config/ini.h"
#include "module/spec.h"

namespace bcc {

using ModuleFactory = ModuleSpec (*)();
// A module type whose declaration depends on its section (custom programs:
// their metrics come from the program the section names). May throw
// config::ConfigError.
using SectionModuleFactory = ModuleSpec (*)(const config::IniFile& file,
                                            const config::Section& section);

class Registry {
 public:
  // The modules linked into the agent.
  static Registry& builtin();

  void add(const std::string& type, ModuleFactory factory);
  void add(const std::string& type, SectionModuleFactory factory);
  const ModuleFactory* find(const std::string& type) const;
  std::vector<std::string> types() const;  // sorted, both kinds
  // The declaration for a section of a registered type; may throw
  // config::ConfigError (for section-dependent types).
  ModuleSpec make(const std::string& type, const config::IniFile& file,
                  const config::Section& section) const;

 private:
  std::map<std::string, ModuleFactory> factories_;
  std::map<std::string, SectionModuleFactory> section_factories_;
};

// In a module file: `static const bool registered = register_module("runqlat", runqlat);`
bool register_module(const std::string& type, ModuleFactory factory);
bool register_module(const std::string& type, SectionModuleFactory factory);

}  // namespace bcc
