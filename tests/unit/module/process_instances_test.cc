// Per-process instance names: "PID command", as the Python agent named them.
#include "module/process_instances.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

using namespace bcc;

namespace {

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
