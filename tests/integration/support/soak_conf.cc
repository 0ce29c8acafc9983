#include "support/soak_conf.h"

#include <algorithm>
#include <map>
#include <regex>
#include <sstream>

#include "support/pcp_client.h"

namespace bcc::test {

namespace {

struct Section {
  std::string name;
  std::vector<std::pair<std::string, std::string>> keys;
  bool perf_buffer = false;
};

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  size_t e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// Module sections of a bcc.conf by module type (the first section of each).
std::map<std::string, Section> sections_by_type(const std::string& text) {
  static const std::regex commented_pages(R"(^#\s*buffer_page_count\s*=)");
  std::map<std::string, Section> by_type;
  std::vector<Section> all;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    line = trim(line);
    if (line.size() > 2 && line.front() == '[' && line.back() == ']') {
      all.push_back({line.substr(1, line.size() - 2), {}, false});
      continue;
    }
    if (all.empty()) continue;
    if (std::regex_search(line, commented_pages)) all.back().perf_buffer = true;
    size_t eq = line.find('=');
    if (line.empty() || line[0] == '#' || line[0] == ';' || eq == std::string::npos) continue;
    std::string key = trim(line.substr(0, eq));
    all.back().keys.emplace_back(key, trim(line.substr(eq + 1)));
    if (key == "buffer_page_count") all.back().perf_buffer = true;
  }
  for (const Section& s : all) {
    if (s.name == "pmda") continue;
    for (const auto& [key, value] : s.keys)
      if (key == "module") by_type.emplace(value, s);
  }
  return by_type;
}

}  // namespace

std::vector<std::string> installed_module_types(const std::string& pmda_dir) {
  std::istringstream out(run(pmda_dir + "/pmdabcc --list-modules 2>/dev/null"));
  std::vector<std::string> types;
  for (std::string t; out >> t;) types.push_back(t);
  return types;
}

SoakConf soak_conf(const std::string& shipped, const std::vector<std::string>& types, int pages,
                   const std::vector<std::string>& pmda_keys,
                   const std::string& followed_process) {
  std::map<std::string, Section> known = sections_by_type(shipped);
  SoakConf conf;
  std::ostringstream body;
  for (const std::string& type : types) {
    auto it = known.find(type);
    if (it == known.end()) {
      conf.unconfigured.push_back(type);
      continue;
    }
    const Section& s = it->second;
    conf.sections.push_back(s.name);
    body << "\n[" << s.name << "]\n";
    for (const auto& [key, value] : s.keys) {
      if (key == "buffer_page_count") continue;
      if (key == "process") {
        body << "process = " << followed_process << "\n";
        conf.following.push_back(s.name);
        continue;
      }
      body << key << " = " << value << "\n";
    }
    // processes that exited are kept this long, then retired: a soak as
    // long as the default grace (300 s) would only see them pile up
    static const char* kKeepExited[] = {"bioperpid", "netproc", "tcpperpid", "syscount"};
    if (std::count(std::begin(kKeepExited), std::end(kKeepExited), type))
      body << "exited_grace = 10\n";
    if (s.perf_buffer) {
      body << "buffer_page_count = " << pages << "\n";
      conf.tiny_buffers.push_back(s.name);
    }
  }
  std::ostringstream text;
  text << "[pmda]\nmodules = ";
  for (size_t i = 0; i < conf.sections.size(); i++) text << (i ? "," : "") << conf.sections[i];
  text << "\nmodule_failure_fatal = False\n";
  for (const std::string& line : pmda_keys) text << line << "\n";
  conf.text = text.str() + body.str();
  return conf;
}

std::string shipped_conf_path() { return std::string(BCC_SOURCE_TREE) + "/bcc.conf"; }

}  // namespace bcc::test
