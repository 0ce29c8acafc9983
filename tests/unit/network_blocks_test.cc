#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

#include "bpf/net_address.h"
#include "config/ini.h"
#include "module/options.h"
#include "module/port_filter.h"
#include "module/process_instances.h"
#include "module/spec.h"

using namespace bcc;

namespace {

TEST(NetAddress, Ipv4FromItsFirstFourBytes) {
  uint8_t bytes[16] = {127, 0, 0, 1, 0xff, 0xff};  // the rest is ignored
  EXPECT_EQ(address_text(kFamilyInet, bytes), "127.0.0.1");
}

TEST(NetAddress, Ipv6InItsShortForm) {
  uint8_t bytes[16];
  ASSERT_EQ(inet_pton(AF_INET6, "fe80::1:2", bytes), 1);
  EXPECT_EQ(address_text(kFamilyInet6, bytes), "fe80::1:2");
  ASSERT_EQ(inet_pton(AF_INET6, "::ffff:10.0.0.1", bytes), 1);
  EXPECT_EQ(address_text(kFamilyInet6, bytes), "::ffff:10.0.0.1");
}

TEST(NetAddress, OtherFamiliesHaveNoText) {
  uint8_t bytes[16] = {};
  EXPECT_EQ(address_text(1, bytes), "");
}

TEST(NetAddress, FlowNamesAsThePythonAgent) {
  EXPECT_EQ(flow_name("10.0.0.1", 22, "10.0.0.2", 51000), "10.0.0.1:22::10.0.0.2:51000");
  EXPECT_EQ(flow_name("::1", 8080, "::1", 40000), "::1:8080::::1:40000");
}

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

TEST(PortFilter, SpecDefinesTheMacroOnlyWhenSet) {
  ModuleSpec spec("x");
  spec.port_filter("dport", "DPORT_ALLOWED", "help");
  ModuleOptions defaults(spec.options());
  EXPECT_TRUE(spec.defines(defaults).empty());
  config::IniFile file = config::parse_ini_text("[x]\ndport = 22, 80\n", "bcc.conf");
  ModuleOptions set(file, file.sections.at(0), spec.options());
  EXPECT_EQ(spec.defines(set), (std::vector<std::string>{"DPORT_ALLOWED(p)=((p) == 22 || (p) == 80)"}));
}

TEST(PortFilter, BadPortIsAConfigError) {
  ModuleSpec spec("x");
  spec.port_filter("lport", "LPORT_ALLOWED", "help");
  config::IniFile file = config::parse_ini_text("[x]\nlport = ssh\n", "bcc.conf");
  ModuleOptions set(file, file.sections.at(0), spec.options());
  try {
    for (const auto& hook : spec.configure_hooks()) hook(set);
    FAIL();
  } catch (const config::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("lport: 'ssh' is not a port"), std::string::npos)
        << e.what();
  }
}

TEST(PerfBufferPages, MustBeAPowerOfTwo) {
  ModuleSpec spec("x");
  spec.option(number_option("buffer_page_count", 64, "pages"))
      .perf_buffer("events", [](const void*, int) {}, "buffer_page_count");
  for (const char* value : {"3", "0", "48"}) {
    config::IniFile file =
        config::parse_ini_text(std::string("[x]\nbuffer_page_count = ") + value + "\n", "bcc.conf");
    ModuleOptions set(file, file.sections.at(0), spec.options());
    EXPECT_THROW(spec.configure_hooks().at(0)(set), config::ConfigError) << value;
  }
  config::IniFile file = config::parse_ini_text("[x]\nbuffer_page_count = 1\n", "bcc.conf");
  ModuleOptions one(file, file.sections.at(0), spec.options());
  EXPECT_NO_THROW(spec.configure_hooks().at(0)(one));
}

TEST(ProcessInstances, PaddedPidAndFirstWord) {
  EXPECT_EQ(padded_pid(441), "000441");
  EXPECT_EQ(padded_pid(1234567), "1234567");
  EXPECT_EQ(process_instance_name(1379, std::string("/usr/sbin/sshd\0-D\0", 18)),
            "001379 /usr/sbin/sshd");
  EXPECT_EQ(process_instance_name(7, std::string("python3 -m x", 12)), "000007 python3");
  EXPECT_EQ(process_instance_name(2, ""), "000002");
}

TEST(ProcessInstances, NameOfThisProcess) {
  std::string name = process_instance_name(getpid());
  EXPECT_EQ(name.rfind(padded_pid(getpid()) + " ", 0), 0u) << name;
}

TEST(ProcessInstances, LeadingNumber) {
  EXPECT_EQ(leading_number("001379 /usr/sbin/sshd"), 1379);
  EXPECT_EQ(leading_number("000441"), 441);
  EXPECT_EQ(leading_number("sshd"), -1);
  EXPECT_EQ(leading_number("99999999999"), -1);
}

}  // namespace
