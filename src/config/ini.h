// Reading an ini file into sections and keys, remembering where each came from.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace bcc::config {

// Every configuration problem: the message names the file, the line or
// section, the key, and what was expected.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Entry {
  std::string key;
  std::string value;
  int line = 0;
};

struct Section {
  std::string name;
  int line = 0;
  std::vector<Entry> entries;  // in file order

  const Entry* find(const std::string& key) const;
};

struct IniFile {
  std::string path;
  std::vector<Section> sections;  // in file order

  const Section* find(const std::string& name) const;
  // "bcc.conf:12" — the prefix of every message about this file.
  std::string where(int line) const;
};

// Parses with inih; duplicate sections or keys, lines that are neither a
// section nor `key = value`, and over-long lines are ConfigErrors.
IniFile parse_ini_text(const std::string& text, const std::string& path);
IniFile read_ini_file(const std::string& path);

}  // namespace bcc::config
