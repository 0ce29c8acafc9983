#include "bpf/program_source.h"

#include <re2/re2.h>

#include <algorithm>

namespace bcc {

std::vector<std::string> declared_maps(const std::string& source) {
  // BPF_HASH(name, ...), or the general forms with the type first:
  // BPF_TABLE("hash", key, leaf, name, ...), BPF_F_TABLE(...)
  static const RE2 declaration(
      R"(\bBPF_(?:[A-Z0-9_]+\(\s*([A-Za-z_]\w*)\s*[,)]|)"
      R"((?:F_)?TABLE\w*\(\s*"[^"]*"\s*,[^,;]+,[^,;]+,\s*([A-Za-z_]\w*)\s*[,)]))");
  std::vector<std::string> names;
  re2::StringPiece input(source);
  std::string simple, general;
  while (RE2::FindAndConsume(&input, declaration, &simple, &general)) {
    const std::string& name = simple.empty() ? general : simple;
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  return names;
}

}  // namespace bcc
