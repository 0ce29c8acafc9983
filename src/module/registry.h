// Module types by name: each modules/<name>.cc registers its declaration.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "module/spec.h"

namespace bcc {

using ModuleFactory = ModuleSpec (*)();

class Registry {
 public:
  // The modules linked into the agent.
  static Registry& builtin();

  void add(const std::string& type, ModuleFactory factory);
  const ModuleFactory* find(const std::string& type) const;
  std::vector<std::string> types() const;  // sorted

 private:
  std::map<std::string, ModuleFactory> factories_;
};

// In a module file: `static const bool registered = register_module("runqlat", runqlat);`
bool register_module(const std::string& type, ModuleFactory factory);

}  // namespace bcc
