#include "module/registry.h"

#include <stdexcept>

namespace bcc {

Registry& Registry::builtin() {
  static Registry registry;
  return registry;
}

void Registry::add(const std::string& type, ModuleFactory factory) {
  if (section_factories_.count(type) || !factories_.emplace(type, factory).second)
    throw std::logic_error("module type '" + type + "' registered twice");
}

void Registry::add(const std::string& type, SectionModuleFactory factory) {
  if (factories_.count(type) || !section_factories_.emplace(type, factory).second)
    throw std::logic_error("module type '" + type + "' registered twice");
}

const ModuleFactory* Registry::find(const std::string& type) const {
  auto it = factories_.find(type);
  return it == factories_.end() ? nullptr : &it->second;
}

std::vector<std::string> Registry::types() const {
  std::map<std::string, bool> all;
  for (const auto& [type, factory] : factories_) all[type] = true;
  for (const auto& [type, factory] : section_factories_) all[type] = true;
  std::vector<std::string> out;
  for (const auto& [type, unused] : all) out.push_back(type);
  return out;
}

ModuleSpec Registry::make(const std::string& type, const config::IniFile& file,
                          const config::Section& section) const {
  if (auto it = section_factories_.find(type); it != section_factories_.end())
    return it->second(file, section);
  if (auto it = factories_.find(type); it != factories_.end()) return it->second();
  throw std::logic_error("module type '" + type + "' is not registered");
}

bool register_module(const std::string& type, ModuleFactory factory) {
  Registry::builtin().add(type, factory);
  return true;
}

bool register_module(const std::string& type, SectionModuleFactory factory) {
  Registry::builtin().add(type, factory);
  return true;
}

}  // namespace bcc
