#include "support/processes.h"

#include <cstdio>
#include <fstream>
#include <iterator>

namespace bcc::test {

bool running(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // the state follows the command name, which is in parentheses and may hold any character
  size_t paren = stat.rfind(')');
  return paren != std::string::npos && stat.compare(paren + 2, 1, "Z") != 0;
}

std::string padded_pid(int pid) {
  char text[16];
  std::snprintf(text, sizeof(text), "%06d", pid);
  return text;
}

}  // namespace bcc::test
