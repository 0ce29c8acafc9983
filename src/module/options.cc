#include "module/options.h"

#include <stdexcept>

#include "config/values.h"

namespace bcc {

using config::ConfigError;

const std::vector<std::string>& common_module_keys() {
  static const std::vector<std::string> keys{"module", "cluster", "prefix", "debug"};
  return keys;
}

namespace {

const char* expected(const OptionSpec& spec) {
  switch (spec.kind) {
    case OptionKind::flag: return "True or False";
    case OptionKind::number: return "a whole number";
    case OptionKind::text: return "text";
    case OptionKind::list: return "a comma-separated list";
  }
  return "?";
}

std::string accepted_keys(const std::vector<OptionSpec>& declared) {
  std::string out;
  for (const std::string& k : common_module_keys()) out += (out.empty() ? "" : ", ") + k;
  for (const OptionSpec& o : declared) out += ", " + o.name;
  return out;
}

void check(const config::IniFile& file, const config::Section& section, const config::Entry& e,
           const OptionSpec& spec) {
  std::string where = file.where(e.line) + ": [" + section.name + "] " + e.key + " = '" +
                      e.value + "': expected " + expected(spec);
  if (spec.kind == OptionKind::flag && !config::parse_bool(e.value)) throw ConfigError(where);
  if (spec.kind == OptionKind::number && !config::parse_unsigned(e.value, spec.min, spec.max))
    throw ConfigError(where + " from " + std::to_string(spec.min) + " to " +
                      std::to_string(spec.max));
}

}  // namespace

ModuleOptions::ModuleOptions(const std::vector<OptionSpec>& declared) {
  for (const OptionSpec& o : declared) {
    declared_[o.name] = o;
    values_[o.name] = o.default_value;
  }
}

ModuleOptions::ModuleOptions(const config::IniFile& file, const config::Section& section,
                             const std::vector<OptionSpec>& declared)
    : ModuleOptions(declared) {
  size_t slash = file.path.rfind('/');
  config_dir_ = slash == std::string::npos ? "." : file.path.substr(0, slash);
  for (const config::Entry& e : section.entries) {
    bool common = false;
    for (const std::string& k : common_module_keys()) common = common || k == e.key;
    if (common) continue;
    auto it = declared_.find(e.key);
    if (it == declared_.end())
      throw ConfigError(file.where(e.line) + ": [" + section.name + "] unknown key '" + e.key +
                        "'; this module accepts: " + accepted_keys(declared));
    check(file, section, e, it->second);
    values_[e.key] = e.value;
  }
}

const std::string& ModuleOptions::raw(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) throw std::logic_error("option '" + name + "' is not declared");
  return it->second;
}

bool ModuleOptions::flag(const std::string& name) const {
  return config::parse_bool(raw(name)).value_or(false);
}

uint64_t ModuleOptions::number(const std::string& name) const {
  return config::parse_unsigned(raw(name), 0, UINT64_MAX).value_or(0);
}

const std::string& ModuleOptions::text(const std::string& name) const { return raw(name); }

std::vector<std::string> ModuleOptions::list(const std::string& name) const {
  return config::split_list(raw(name));
}

bool ModuleOptions::is_set(const std::string& name) const { return !raw(name).empty(); }

bool ModuleOptions::enabled(const std::string& name) const {
  auto it = declared_.find(name);
  if (it != declared_.end() && it->second.kind == OptionKind::flag) return flag(name);
  return is_set(name);
}

}  // namespace bcc
