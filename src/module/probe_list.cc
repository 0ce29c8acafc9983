#include "module/probe_list.h"

#include <algorithm>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include "config/ini.h"
#include "config/pattern.h"
#include "config/trusted_file.h"
#include "config/values.h"

namespace bcc {

namespace {

using config::trim;

std::vector<std::string> unique(const std::vector<std::string>& in) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const std::string& s : in)
    if (!s.empty() && seen.insert(s).second) out.push_back(s);
  return out;
}

}  // namespace

std::vector<std::string> parse_probe_lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    line = trim(line.substr(0, line.find('#')));
    if (!line.empty()) out.push_back(line);
  }
  return unique(out);
}

std::vector<std::string> read_probe_list(const std::string& value, const std::string& config_dir,
                                         const std::string& default_file) {
  std::string v = trim(value);
  if (v.find(':') != std::string::npos) return unique(config::split_list(v));
  std::string dir = config_dir.empty() ? "." : config_dir;
  std::string file = v.empty() ? default_file : v;
  std::string path = file[0] == '/' ? file : dir + "/" + file;
  // the list chooses what the agent attaches to: trusted like bcc.conf
  config::TrustedText list = config::read_trusted_file(path);
  if (list.missing) {
    if (v.empty()) return {};  // no list given and no default file
    throw config::ConfigError("cannot read probe list file " + path + ": no such file");
  }
  if (!list.error.empty()) throw config::ConfigError("probe list file " + list.error);
  return parse_probe_lines(list.text);
}

PatternMatches match_patterns(const std::vector<std::string>& patterns,
                              const std::vector<std::string>& available) {
  PatternMatches out;
  std::vector<bool> taken(available.size(), false);
  for (const std::string& pattern : patterns) {
    std::optional<config::Pattern> re;
    try {
      re.emplace(pattern);
    } catch (const std::invalid_argument&) {
      // not a pattern: the name must then match exactly
    }
    bool any = false;
    for (size_t i = 0; i < available.size(); i++) {
      if (available[i] != pattern && !(re && re->matches_whole(available[i]))) continue;
      any = true;
      taken[i] = true;
    }
    if (!any) out.missing.push_back(pattern);
  }
  for (size_t i = 0; i < available.size(); i++)
    if (taken[i]) out.found.push_back(available[i]);
  return out;
}

std::pair<std::string, std::string> split_probe(const std::string& probe) {
  size_t colon = probe.rfind(':');
  if (colon == std::string::npos) return {"", probe};
  return {probe.substr(0, colon), probe.substr(colon + 1)};
}

}  // namespace bcc
