#include "config/ini.h"

#include "config/trusted_file.h"

#include <ini.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace bcc::config {

namespace {

constexpr size_t kMaxLine = 4096;      // longer lines are refused, not split
constexpr size_t kMaxFile = 1 << 20;   // a configuration file is small

struct ParseState {
  IniFile* file;
  const std::string* text;
  size_t offset = 0;
  int line = 0;
  int header_line = 0;  // of the last "[section]" line: inih reports sections with their keys
  std::string error;    // first error of our own, with its line
};

// inih's stream reader, fed one line at a time so that we know the line
// number of every section and key it reports.
char* read_line(char* out, int size, void* stream) {
  auto* st = static_cast<ParseState*>(stream);
  if (st->offset >= st->text->size()) return nullptr;
  size_t end = st->text->find('\n', st->offset);
  size_t next = end == std::string::npos ? st->text->size() : end + 1;
  size_t len = next - st->offset;
  st->line++;
  if (len >= static_cast<size_t>(size) || len > kMaxLine) {
    if (st->error.empty())
      st->error = st->file->where(st->line) + ": line longer than " + std::to_string(kMaxLine) +
                  " characters";
    len = 1;
    out[0] = '\n';
    out[1] = '\0';
    st->offset = next;
    return out;
  }
  std::memcpy(out, st->text->data() + st->offset, len);
  out[len] = '\0';
  size_t first = std::strspn(out, " \t");
  if (out[first] == '[') st->header_line = st->line;
  st->offset = next;
  return out;
}

int on_entry(void* user, const char* section, const char* key, const char* value) {
  auto* st = static_cast<ParseState*>(user);
  IniFile& file = *st->file;
  if (!key) return 1;  // a section header alone, reported by INI_CALL_HANDLER_ON_NEW_SECTION builds
  if (!*section) {
    st->error = file.where(st->line) + ": key '" + key +
                "' appears before any [section]; put it under [pmda] or a module's section";
    return 0;
  }
  if (file.sections.empty() || file.sections.back().name != section) {
    if (file.find(section)) {
      st->error = file.where(st->line) + ": section [" + section +
                  "] appears twice (first at line " + std::to_string(file.find(section)->line) +
                  "); merge the two";
      return 0;
    }
    file.sections.push_back(Section{section, st->header_line ? st->header_line : st->line, {}});
  }
  Section& sec = file.sections.back();
  if (const Entry* prev = sec.find(key)) {
    st->error = file.where(st->line) + ": [" + section + "] key '" + key +
                "' is set twice (first at line " + std::to_string(prev->line) + "); keep one";
    return 0;
  }
  sec.entries.push_back(Entry{key, value ? value : "", st->line});
  return 1;
}

}  // namespace

const Entry* Section::find(const std::string& key) const {
  for (const Entry& e : entries)
    if (e.key == key) return &e;
  return nullptr;
}

const Section* IniFile::find(const std::string& name) const {
  for (const Section& s : sections)
    if (s.name == name) return &s;
  return nullptr;
}

std::string IniFile::where(int line) const { return path + ":" + std::to_string(line); }

IniFile parse_ini_text(const std::string& text, const std::string& path) {
  IniFile file;
  file.path = path;
  if (text.size() > kMaxFile)
    throw ConfigError(path + ": file is " + std::to_string(text.size()) +
                      " bytes; a configuration file is at most " + std::to_string(kMaxFile));
  if (text.find('\0') != std::string::npos)
    throw ConfigError(path + ": file contains NUL bytes; it is not a text ini file");
  // Debian's inih reads these at run time: a heap line buffer long enough
  // for any line we accept, and no parsing past the first error.
  ini_use_stack = false;
  ini_allow_realloc = true;
  ini_initial_alloc = kMaxLine + 2;
  ini_max_line = kMaxLine + 2;
  ini_stop_on_first_error = true;
  ParseState st{&file, &text, 0, 0, 0, {}};
  int rc = ini_parse_stream(read_line, &st, on_entry, &st);
  if (!st.error.empty()) throw ConfigError(st.error);
  if (rc > 0)
    throw ConfigError(file.where(rc) +
                      ": expected '[section]', 'key = value' or a '#' comment");
  if (rc < 0) throw ConfigError(path + ": cannot parse (inih error " + std::to_string(rc) + ")");
  return file;
}

IniFile read_ini_file(const std::string& path) {
  TrustedText file = read_trusted_file(path);
  if (file.missing) throw ConfigError(path + ": cannot open: " + std::strerror(ENOENT));
  if (!file.error.empty()) throw ConfigError(file.error);
  return parse_ini_text(file.text, path);
}

}  // namespace bcc::config
