#include "dynamic/program_name.h"

#include <cctype>
#include "config/values.h"

namespace bcc::dynamic {

namespace {

using config::trim;

}  // namespace

std::optional<std::string> annotated_name(const std::string& source) {
  size_t start = 0;
  while (start < source.size()) {
    size_t end = source.find('\n', start);
    if (end == std::string::npos) end = source.size();
    std::string line = trim(source.substr(start, end - start));
    start = end + 1;
    if (line.compare(0, 2, "//") != 0) continue;
    std::string comment = trim(line.substr(2));
    if (comment.compare(0, 5, "name:") != 0) continue;
    return trim(comment.substr(5));
  }
  return std::nullopt;
}

std::string name_problem(const std::string& name) {
  const char* rule = "a lower-case letter, then up to 31 lower-case letters, digits or '_'";
  if (name.empty()) return std::string("the program name is empty; expected ") + rule;
  if (name.size() > 32) return "the program name '" + name + "' is too long; expected " + rule;
  if (!std::islower(static_cast<unsigned char>(name[0])))
    return "the program name '" + name + "' must start with " + rule;
  for (char c : name)
    if (!std::islower(static_cast<unsigned char>(c)) &&
        !std::isdigit(static_cast<unsigned char>(c)) && c != '_')
      return "the program name '" + name + "' has '" + std::string(1, c) + "'; expected " + rule;
  return "";
}

std::string NameGenerator::next(const std::set<std::string>& taken) {
  std::string name;
  do name = "prog" + std::to_string(++counter_);
  while (taken.count(name));
  return name;
}

}  // namespace bcc::dynamic
