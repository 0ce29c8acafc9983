#include "module/process_instances.h"

#include <cctype>
#include <climits>
#include <cstdio>
#include <fstream>
#include <iterator>

namespace bcc {

std::string padded_pid(int pid) {
  char text[16];
  snprintf(text, sizeof(text), "%06d", pid);
  return text;
}

std::string process_instance_name(int pid, const std::string& raw_cmdline) {
  std::string first = raw_cmdline.substr(0, raw_cmdline.find_first_of(std::string("\0 ", 2)));
  return first.empty() ? padded_pid(pid) : padded_pid(pid) + " " + first;
}

std::string process_instance_name(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
  std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return process_instance_name(pid, raw);
}

int leading_number(const std::string& name) {
  long long n = 0;
  size_t i = 0;
  for (; i < name.size() && std::isdigit(static_cast<unsigned char>(name[i])); i++) {
    n = n * 10 + (name[i] - '0');
    if (n > INT_MAX) return -1;
  }
  return i == 0 ? -1 : static_cast<int>(n);
}

}  // namespace bcc
