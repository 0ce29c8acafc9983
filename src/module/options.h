// A module section's keys, checked against what the module declares.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "config/ini.h"
#include "module/spec.h"

namespace bcc {

class ModuleOptions {
 public:
  // Checks every key of `section` (the common ones and the module's own);
  // throws config::ConfigError naming file:line, section, key and the fix.
  ModuleOptions(const config::IniFile& file, const config::Section& section,
                const std::vector<OptionSpec>& declared);
  // Defaults only: for tests and for modules without a section.
  explicit ModuleOptions(const std::vector<OptionSpec>& declared);

  bool flag(const std::string& name) const;
  uint64_t number(const std::string& name) const;
  const std::string& text(const std::string& name) const;
  std::vector<std::string> list(const std::string& name) const;
  bool is_set(const std::string& name) const;  // given in the file, or a non-empty default
  // Whether the module declares the option (shared code serving several modules).
  bool declares(const std::string& name) const { return declared_.count(name) > 0; }
  // The folder of bcc.conf, where probe list files live ("" for defaults only).
  const std::string& config_dir() const { return config_dir_; }
  // A flag that is True, or any other option that is set.
  bool enabled(const std::string& name) const;

 private:
  const std::string& raw(const std::string& name) const;
  std::map<std::string, std::string> values_;
  std::map<std::string, OptionSpec> declared_;
  std::string config_dir_;
};

// Keys every module section may carry besides its own options.
const std::vector<std::string>& common_module_keys();

}  // namespace bcc
