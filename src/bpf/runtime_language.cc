#include "bpf/runtime_language.h"

#include <climits>
#include <cstdlib>
#include <cstring>
#include <fstream>

namespace bcc {

// What libbcc's bcc_procutils_language (0.26) answers: a language named in
// the executable's resolved path, else a "/lib<language>" mapped, else "c"
// when libc is mapped.
std::string runtime_language(int pid) {
  static const char* const languages[] = {"java", "node", "perl", "php", "python", "ruby"};
  std::string proc = "/proc/" + std::to_string(pid);
  char path[PATH_MAX];
  if (realpath((proc + "/exe").c_str(), path))
    for (const char* language : languages)
      if (std::strstr(path, language)) return language;
  std::ifstream maps(proc + "/maps");
  if (!maps) return "";
  bool libc = false;
  std::string line;
  while (std::getline(maps, line)) {
    // "begin-end perms offset dev inode   path": no field before the path
    // can hold "/lib" or "libc", so the line is searched as its path
    const std::string& name = line;
    for (const char* language : languages)
      if (name.find(std::string("/lib") + language) != std::string::npos) return language;
    size_t c = name.find("libc");
    if (c != std::string::npos && c + 4 < name.size() && (name[c + 4] == '-' || name[c + 4] == '.'))
      libc = true;
  }
  return libc ? "c" : "";
}

}  // namespace bcc
