#include "instance_name.h"

#include <cctype>
#include <cstring>

namespace bcc {

std::string clean_instance_name(const std::string& raw) {
  std::string name;
  for (char c : raw) {
    bool alnum = std::isalnum(static_cast<unsigned char>(c));
    if (name.empty() && !alnum) continue;
    if (!alnum && !std::strchr("./<>[]_", c)) break;
    name += c == '/' ? '.' : c == '[' ? '{' : c == ']' ? '}' : c;
  }
  return name;
}

}  // namespace bcc
