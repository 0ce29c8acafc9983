#include "module/registry.h"

#include <stdexcept>

namespace bcc {

Registry& Registry::builtin() {
  static Registry registry;
  return registry;
}

void Registry::add(const std::string& type, ModuleFactory factory) {
  if (!factories_.emplace(type, factory).second)
    throw std::logic_error("module type '" + type + "' registered twice");
}

const ModuleFactory* Registry::find(const std::string& type) const {
  auto it = factories_.find(type);
  return it == factories_.end() ? nullptr : &it->second;
}

std::vector<std::string> Registry::types() const {
  std::vector<std::string> out;
  for (const auto& [type, factory] : factories_) out.push_back(type);
  return out;
}

bool register_module(const std::string& type, ModuleFactory factory) {
  Registry::builtin().add(type, factory);
  return true;
}

}  // namespace bcc
