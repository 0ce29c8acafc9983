#include "config/agent_config.h"

#include <algorithm>
#include <map>

#include "config/values.h"

namespace bcc::config {

namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

void read_pmda_section(AgentConfig& cfg, std::vector<std::string>& enabled) {
  const Section* pmda = cfg.ini.find("pmda");
  if (!pmda)
    throw ConfigError(cfg.ini.path +
                      ": no [pmda] section; add one with 'modules = runqlat,biolatency'");
  bool have_modules = false;
  for (const Entry& e : pmda->entries) {
    std::string where = cfg.ini.where(e.line) + ": [pmda] " + e.key + " = '" + e.value + "'";
    if (e.key == "modules") {
      have_modules = true;
      enabled = split_list(e.value);
    } else if (e.key == "prefix") {
      cfg.prefix = trim(e.value);
      if (cfg.prefix.empty() || cfg.prefix.back() != '.')
        throw ConfigError(where + ": expected a metric name prefix ending in '.', like 'bcc.'");
    } else if (e.key == "process_refresh") {
      auto v = parse_unsigned(e.value, 0, 86400);
      if (!v) throw ConfigError(where + ": expected seconds from 0 (off) to 86400");
      cfg.process_refresh = static_cast<unsigned>(*v);
    } else if (e.key == "allowed_users") {
      cfg.allowed_users = split_list(e.value);
    } else if (e.key == "register_users") {
      cfg.register_users = split_list(e.value);
    } else if (e.key == "module_failure_fatal" || e.key == "prog_stats" ||
               e.key == "allow_dynamic") {
      auto v = parse_bool(e.value);
      if (!v) throw ConfigError(where + ": expected True or False");
      (e.key == "prog_stats"      ? cfg.prog_stats
       : e.key == "allow_dynamic" ? cfg.dynamic.allowed
                                  : cfg.module_failure_fatal) = *v;
    } else if (e.key == "max_program_size") {
      auto v = parse_unsigned(e.value, 64, 16 * 1024 * 1024);
      if (!v) throw ConfigError(where + ": expected bytes from 64 to 16777216");
      cfg.dynamic.max_program_size = *v;
    } else if (e.key == "max_programs") {
      unsigned most = kLastDynamicCluster - kFirstDynamicCluster + 1;
      auto v = parse_unsigned(e.value, 1, most);
      if (!v) throw ConfigError(where + ": expected a number of programs from 1 to " +
                                std::to_string(most));
      cfg.dynamic.max_programs = static_cast<unsigned>(*v);
    } else if (e.key == "compile_timeout") {
      auto v = parse_unsigned(e.value, 1, 3600);
      if (!v) throw ConfigError(where + ": expected seconds from 1 to 3600");
      cfg.dynamic.compile_timeout = static_cast<unsigned>(*v);
    } else if (e.key == "expiry") {
      auto v = parse_unsigned(e.value, 0, 30 * 86400);
      if (!v) throw ConfigError(where + ": expected seconds from 0 (never) to 2592000");
      cfg.dynamic.expiry = static_cast<unsigned>(*v);
    } else if (e.key == "kernel_headers") {
      auto v = parse_kernel_headers(trim(e.value));
      if (!v)
        throw ConfigError(where + ": expected auto (the installed headers when they match the "
                                  "running kernel, else the kernel's BTF), btf or installed");
      cfg.kernel_headers = *v;
    } else {
      throw ConfigError(cfg.ini.where(e.line) + ": [pmda] unknown key '" + e.key +
                        "'; [pmda] accepts: modules, prefix, process_refresh, "
                        "module_failure_fatal, prog_stats, allowed_users, register_users, "
                        "allow_dynamic, max_program_size, max_programs, compile_timeout, "
                        "expiry, kernel_headers");
    }
  }
  if (!have_modules || enabled.empty())
    throw ConfigError(cfg.ini.where(pmda->line) +
                      ": [pmda] enables no modules; set 'modules = runqlat,biolatency' (a "
                      "comma-separated list of section names)");
}

ModuleSection read_module_section(const AgentConfig& cfg, const std::string& name,
                                  const std::vector<std::string>& known_types) {
  ModuleSection m;
  m.name = name;
  m.file = cfg.ini.path;
  m.section = cfg.ini.find(name);
  if (!m.section) {
    m.problem = cfg.ini.path + ": [pmda] modules lists '" + name +
                "' but there is no [" + name + "] section; add one with 'module' and 'cluster'";
    return m;
  }
  std::string at = cfg.ini.where(m.section->line) + ": [" + name + "]";
  const Entry* type = m.section->find("module");
  const Entry* cluster = m.section->find("cluster");
  if (!type) {
    m.problem = at + " has no 'module' key; set it to one of: " + join(known_types);
    return m;
  }
  m.type = trim(type->value);
  if (std::find(known_types.begin(), known_types.end(), m.type) == known_types.end()) {
    m.problem = cfg.ini.where(type->line) + ": [" + name + "] module = '" + m.type +
                "': unknown module type; expected one of: " + join(known_types);
    return m;
  }
  if (!cluster) {
    m.problem = at + " has no 'cluster' key; set it to a number from 0 to " +
                std::to_string(kMaxModuleCluster) + " not used by another module";
    return m;
  }
  auto c = parse_unsigned(cluster->value, 0, kMaxModuleCluster);
  if (!c && parse_unsigned(cluster->value, kFirstReservedCluster, kStatusCluster)) {
    m.problem = cfg.ini.where(cluster->line) + ": [" + name + "] cluster = " + cluster->value +
                ": clusters " + std::to_string(kFirstReservedCluster) + " to " +
                std::to_string(kStatusCluster) +
                " are reserved for the agent's own metrics and for programs registered at "
                "run time (bcc.control.register); choose one from 0 to " +
                std::to_string(kMaxModuleCluster);
    return m;
  }
  if (!c) {
    m.problem = cfg.ini.where(cluster->line) + ": [" + name + "] cluster = '" + cluster->value +
                "': expected a whole number from 0 to " + std::to_string(kMaxModuleCluster) +
                " (higher ones are the agent's own)";
    return m;
  }
  m.cluster = static_cast<unsigned>(*c);
  return m;
}

}  // namespace

AgentConfig make_agent_config(IniFile ini, const std::vector<std::string>& known_types) {
  AgentConfig cfg;
  cfg.ini = std::move(ini);
  std::vector<std::string> enabled;
  read_pmda_section(cfg, enabled);

  std::map<unsigned, std::string> cluster_owner;
  for (const std::string& name : enabled) {
    if (name == "pmda")
      throw ConfigError(cfg.ini.path + ": [pmda] modules lists 'pmda', which is not a module");
    for (const ModuleSection& prev : cfg.modules)
      if (prev.name == name)
        throw ConfigError(cfg.ini.path + ": [pmda] modules lists '" + name + "' twice");
    ModuleSection m = read_module_section(cfg, name, known_types);
    if (m.problem.empty()) {
      auto [it, fresh] = cluster_owner.emplace(m.cluster, name);
      if (!fresh)
        m.problem = cfg.ini.where(m.section->find("cluster")->line) + ": [" + name +
                    "] cluster = " + std::to_string(m.cluster) + " is already used by [" +
                    it->second + "]; choose another cluster";
    }
    cfg.modules.push_back(std::move(m));
  }
  // A section for a known module type that [pmda] does not enable is a
  // module kept at hand, as the shipped file has them; anything else is
  // likely a typo worth a warning.
  for (const Section& s : cfg.ini.sections) {
    if (s.name == "pmda" || std::find(enabled.begin(), enabled.end(), s.name) != enabled.end())
      continue;
    const Entry* type = s.find("module");
    if (type && std::find(known_types.begin(), known_types.end(), trim(type->value)) !=
                    known_types.end())
      continue;
    cfg.warnings.push_back(cfg.ini.where(s.line) + ": section [" + s.name +
                           "] is not listed in [pmda] modules and names no known module "
                           "type; ignored");
  }
  return cfg;
}

}  // namespace bcc::config
