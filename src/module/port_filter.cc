#include "module/port_filter.h"

#include <stdexcept>

#include "config/values.h"

namespace bcc {

std::vector<uint16_t> parse_ports(const std::vector<std::string>& items) {
  std::vector<uint16_t> ports;
  for (const std::string& item : items) {
    auto port = config::parse_unsigned(item, 1, 65535);
    if (!port) throw std::invalid_argument("'" + item + "' is not a port (1 to 65535)");
    ports.push_back(static_cast<uint16_t>(*port));
  }
  return ports;
}

std::string port_macro(const std::string& macro, const std::vector<uint16_t>& ports) {
  if (ports.empty()) return "";
  std::string test;
  for (uint16_t port : ports)
    test += (test.empty() ? "" : " || ") + std::string("(p) == ") + std::to_string(port);
  return macro + "(p)=(" + test + ")";
}

}  // namespace bcc
