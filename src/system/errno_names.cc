#include "system/errno_names.h"

#include <string.h>

#include <cstdlib>
#include <map>

namespace bcc {

namespace {

// errno values are small positive numbers; the kernel reserves up to 4095.
constexpr int kMaxErrno = 4095;

const std::map<std::string, int>& numbers_by_name() {
  static const std::map<std::string, int> table = [] {
    std::map<std::string, int> t;
    // the first name wins where two share a number (EAGAIN, EWOULDBLOCK)
    for (int n = 1; n <= kMaxErrno; n++)
      if (const char* name = strerrorname_np(n)) t.emplace(name, n);
    // aliases that strerrorname_np reports under their twin's name
    for (auto [alias, twin] : {std::pair{"EWOULDBLOCK", "EAGAIN"}, {"EDEADLOCK", "EDEADLK"},
                               {"ENOTSUP", "EOPNOTSUPP"}})
      if (auto it = t.find(twin); it != t.end()) t.emplace(alias, it->second);
    return t;
  }();
  return table;
}

}  // namespace

std::optional<int> parse_errno(const std::string& text) {
  auto named = numbers_by_name().find(text);
  if (named != numbers_by_name().end()) return named->second;
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  long n = std::strtol(text.c_str(), &end, 10);
  if (*end != '\0' || n == 0 || n < -kMaxErrno || n > kMaxErrno) return std::nullopt;
  return static_cast<int>(n < 0 ? -n : n);
}

std::string errno_name(int number) {
  const char* name = number > 0 ? strerrorname_np(number) : nullptr;
  return name ? name : "";
}

}  // namespace bcc
