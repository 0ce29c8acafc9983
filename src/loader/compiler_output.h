// What libbcc and clang print while compiling and loading, made fit for a
// manifest (and a log line): noise dropped, libbcc's own name for the
// program replaced by the program's origin, and for registered programs
// the machine's paths reduced to file names. Header-only: the loader and
// the unit tests use it without linking libbcc.
#pragma once

#include <sstream>
#include <string>

#include "loader/protocol.h"

namespace bcc::loader {

// libbcc's complaints on kernels without AF_ALG (it cannot hash programs
// for its tag cache): harmless, and they would fill the log.
inline std::string without_noise(const std::string& text) {
  std::istringstream in(text);
  std::string line, out;
  while (std::getline(in, line))
    if (line.find("sha1 socket not available") == std::string::npos &&
        line.find("cannot get prog tag") == std::string::npos)
      out += line + "\n";
  return out;
}

// libbcc compiles the text under this name
constexpr char kVirtualMain[] = "/virtual/main.c";

// Absolute paths ("/lib/modules/6.1.0/build/include/linux/sched.h") become
// their last component ("sched.h"); /virtual/main.c is kept for the origin.
// Only paths of two components or more, starting a word: a division in a
// quoted code line stays as it is.
inline std::string without_paths(const std::string& text) {
  auto path_char = [](char c) {
    return !(c == ' ' || c == '\t' || c == '\n' || c == ':' || c == '\'' || c == '"' ||
             c == '(' || c == ')' || c == '<' || c == '>' || c == ',' || c == '[' || c == ']');
  };
  std::string out;
  for (size_t i = 0; i < text.size();) {
    bool starts_word = i == 0 || !path_char(text[i - 1]);
    if (text[i] == '/' && starts_word && text.compare(i, sizeof kVirtualMain - 1, kVirtualMain) != 0) {
      size_t end = i;
      while (end < text.size() && path_char(text[end])) end++;
      std::string path = text.substr(i, end - i);
      size_t last = path.rfind('/');
      if (last != 0) {  // two components or more
        out += path.substr(last + 1);
        i = end;
        continue;
      }
    }
    out += text[i++];
  }
  return out;
}

inline std::string with_origin(std::string text, const std::string& origin) {
  if (origin.empty()) return text;
  const std::string builtin = kVirtualMain;
  for (size_t at = text.find(builtin); at != std::string::npos;
       at = text.find(builtin, at + origin.size()))
    text.replace(at, builtin.size(), origin);
  return text;
}

inline std::string capped(std::string text, size_t limit = kMaxCompilerOutput) {
  if (text.size() <= limit) return text;
  size_t cut = text.size() - limit;
  text.resize(limit);
  return text + "\n[" + std::to_string(cut) + " more bytes of compiler output cut]\n";
}

inline std::string cleaned_output(const std::string& raw, SourcePolicy policy,
                                  const std::string& origin) {
  std::string text = without_noise(raw);
  if (policy == SourcePolicy::registered) text = without_paths(text);
  return capped(with_origin(text, origin));
}

}  // namespace bcc::loader
