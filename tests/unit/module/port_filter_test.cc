// Port filters (`dport`, `lport`): the ports of the option and the macro
// the program tests (ModuleSpec::port_filter: module/spec_test.cc).
#include "module/port_filter.h"

#include <gtest/gtest.h>

#include <stdexcept>

using namespace bcc;

namespace {

TEST(PortFilter, ParsesAndRejects) {
  EXPECT_EQ(parse_ports({"80", "443"}), (std::vector<uint16_t>{80, 443}));
  EXPECT_THROW(parse_ports({"80", "http"}), std::invalid_argument);
  EXPECT_THROW(parse_ports({"0"}), std::invalid_argument);
  EXPECT_THROW(parse_ports({"65536"}), std::invalid_argument);
}

TEST(PortFilter, MacroTestsEachPort) {
  EXPECT_EQ(port_macro("DPORT_ALLOWED", {80, 443}), "DPORT_ALLOWED(p)=((p) == 80 || (p) == 443)");
  EXPECT_EQ(port_macro("DPORT_ALLOWED", {}), "");
}

}  // namespace
