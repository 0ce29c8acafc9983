#include "config/agent_config.h"

#include <gtest/gtest.h>

using namespace bcc::config;

namespace {

const std::vector<std::string> kTypes{"biolatency", "runqlat"};

AgentConfig load(const std::string& text) {
  return make_agent_config(parse_ini_text(text, "bcc.conf"), kTypes);
}

std::string error_of(const std::string& text) {
  try {
    load(text);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(AgentConfig, ReadsPmdaSectionAndModules) {
  auto cfg = load(
      "[pmda]\nmodules = runqlat, biolatency\nprefix = x.\nprocess_refresh = 5\n"
      "module_failure_fatal = False\n[runqlat]\nmodule = runqlat\ncluster = 4\n"
      "[biolatency]\nmodule = biolatency\ncluster = 0\n");
  EXPECT_EQ(cfg.prefix, "x.");
  EXPECT_EQ(cfg.process_refresh, 5u);
  EXPECT_FALSE(cfg.module_failure_fatal);
  ASSERT_EQ(cfg.modules.size(), 2u);
  EXPECT_EQ(cfg.modules[0].name, "runqlat");
  EXPECT_EQ(cfg.modules[0].cluster, 4u);
  EXPECT_EQ(cfg.modules[1].type, "biolatency");
  EXPECT_TRUE(cfg.modules[1].problem.empty());
}

TEST(AgentConfig, RegisterUsersIsAListOfItsOwn) {
  auto cfg = load(
      "[pmda]\nmodules = r\nallowed_users = pcp, bob\nregister_users = alice,carol\n"
      "[r]\nmodule = runqlat\ncluster = 4\n");
  EXPECT_EQ(cfg.allowed_users, (std::vector<std::string>{"pcp", "bob"}));
  EXPECT_EQ(cfg.register_users, (std::vector<std::string>{"alice", "carol"}));
  EXPECT_TRUE(load("[pmda]\nmodules = r\n[r]\nmodule = runqlat\ncluster = 4\n")
                  .register_users.empty());
}

TEST(AgentConfig, Defaults) {
  auto cfg = load("[pmda]\nmodules = r\n[r]\nmodule = runqlat\ncluster = 4\n");
  EXPECT_EQ(cfg.prefix, "bcc.");
  EXPECT_EQ(cfg.process_refresh, 0u);
  EXPECT_TRUE(cfg.module_failure_fatal);
}

TEST(AgentConfig, MissingPmdaSection) {
  EXPECT_NE(error_of("[r]\nmodule = runqlat\n").find("no [pmda] section"), std::string::npos);
}

TEST(AgentConfig, NoModules) {
  EXPECT_NE(error_of("[pmda]\nprefix = bcc.\n").find("enables no modules"), std::string::npos);
}

TEST(AgentConfig, UnknownPmdaKeyNamesLineAndAcceptedKeys) {
  std::string e = error_of("[pmda]\nmodules = r\nmodule_fail = True\n");
  EXPECT_NE(e.find("bcc.conf:3: [pmda] unknown key 'module_fail'"), std::string::npos) << e;
  EXPECT_NE(e.find("module_failure_fatal"), std::string::npos) << e;
}

TEST(AgentConfig, BadNumberAndBoolean) {
  std::string e = error_of("[pmda]\nmodules = r\nprocess_refresh = soon\n");
  EXPECT_NE(e.find("bcc.conf:3: [pmda] process_refresh = 'soon': expected seconds"),
            std::string::npos)
      << e;
  e = error_of("[pmda]\nmodules = r\nprocess_refresh = -1\n");
  EXPECT_NE(e.find("expected seconds"), std::string::npos) << e;
  e = error_of("[pmda]\nmodules = r\nmodule_failure_fatal = maybe\n");
  EXPECT_NE(e.find("expected True or False"), std::string::npos) << e;
}

TEST(AgentConfig, MissingModuleSectionIsThatModulesProblem) {
  auto cfg = load("[pmda]\nmodules = r\n");
  ASSERT_EQ(cfg.modules.size(), 1u);
  EXPECT_NE(cfg.modules[0].problem.find("no [r] section"), std::string::npos);
}

TEST(AgentConfig, UnknownModuleTypeListsKnownTypes) {
  auto cfg = load("[pmda]\nmodules = r\n[r]\nmodule = runqlot\ncluster = 4\n");
  EXPECT_EQ(cfg.modules[0].problem,
            "bcc.conf:4: [r] module = 'runqlot': unknown module type; expected one of: "
            "biolatency, runqlat");
}

TEST(AgentConfig, MissingModuleOrCluster) {
  auto cfg = load("[pmda]\nmodules = r,s\n[r]\ncluster = 4\n[s]\nmodule = runqlat\n");
  EXPECT_NE(cfg.modules[0].problem.find("has no 'module' key"), std::string::npos);
  EXPECT_NE(cfg.modules[1].problem.find("has no 'cluster' key"), std::string::npos);
}

TEST(AgentConfig, ClusterOutOfRangeOrNotANumber) {
  auto cfg = load(
      "[pmda]\nmodules = r,s,t\n[r]\nmodule = runqlat\ncluster = 5000\n"
      "[s]\nmodule = runqlat\ncluster = four\n[t]\nmodule = runqlat\ncluster = -3\n");
  for (const auto& m : cfg.modules)
    EXPECT_NE(m.problem.find("expected a whole number from 0 to 3839"), std::string::npos)
        << m.problem;
}

TEST(AgentConfig, ReservedClustersSaySo) {
  for (const char* cluster : {"3840", "4000", "4094"}) {
    auto cfg = load(std::string("[pmda]\nmodules = r\n[r]\nmodule = runqlat\ncluster = ") +
                    cluster + "\n");
    EXPECT_EQ(cfg.modules[0].problem,
              std::string("bcc.conf:5: [r] cluster = ") + cluster +
                  ": clusters 3840 to 4095 are reserved for the agent's own metrics and for "
                  "programs registered at run time (bcc.control.register); choose one from 0 "
                  "to 3839");
  }
  EXPECT_TRUE(load("[pmda]\nmodules = r\n[r]\nmodule = runqlat\ncluster = 3839\n")
                  .modules[0]
                  .problem.empty());
}

TEST(AgentConfig, DynamicRegistrationIsOffWithSaneLimits) {
  auto cfg = load("[pmda]\nmodules = r\n[r]\nmodule = runqlat\ncluster = 4\n");
  EXPECT_FALSE(cfg.dynamic.allowed);
  EXPECT_EQ(cfg.dynamic.max_program_size, 65536u);
  EXPECT_EQ(cfg.dynamic.max_programs, 8u);
  EXPECT_EQ(cfg.dynamic.compile_timeout, 30u);
  EXPECT_EQ(cfg.dynamic.expiry, 600u);
}

TEST(AgentConfig, DynamicRegistrationKeys) {
  auto cfg = load(
      "[pmda]\nmodules = r\nallow_dynamic = True\nmax_program_size = 1000\n"
      "max_programs = 2\ncompile_timeout = 10\nexpiry = 0\n[r]\nmodule = runqlat\n"
      "cluster = 4\n");
  EXPECT_TRUE(cfg.dynamic.allowed);
  EXPECT_EQ(cfg.dynamic.max_program_size, 1000u);
  EXPECT_EQ(cfg.dynamic.max_programs, 2u);
  EXPECT_EQ(cfg.dynamic.compile_timeout, 10u);
  EXPECT_EQ(cfg.dynamic.expiry, 0u);
  EXPECT_NE(error_of("[pmda]\nmodules = r\nmax_programs = 0\n").find(
                "bcc.conf:3: [pmda] max_programs = '0': expected a number of programs from 1 "
                "to 192"),
            std::string::npos);
  EXPECT_NE(error_of("[pmda]\nmodules = r\ncompile_timeout = 0\n").find(
                "expected seconds from 1 to 3600"),
            std::string::npos);
  EXPECT_NE(error_of("[pmda]\nmodules = r\nallow_dynamic = maybe\n").find(
                "expected True or False"),
            std::string::npos);
}

TEST(AgentConfig, DuplicateClusterNamesBothSections) {
  auto cfg = load(
      "[pmda]\nmodules = r,b\n[r]\nmodule = runqlat\ncluster = 4\n"
      "[b]\nmodule = biolatency\ncluster = 4\n");
  EXPECT_TRUE(cfg.modules[0].problem.empty());
  EXPECT_EQ(cfg.modules[1].problem,
            "bcc.conf:8: [b] cluster = 4 is already used by [r]; choose another cluster");
}

TEST(AgentConfig, ModuleListedTwice) {
  EXPECT_NE(error_of("[pmda]\nmodules = r,r\n[r]\nmodule = runqlat\ncluster = 4\n")
                .find("lists 'r' twice"),
            std::string::npos);
}

TEST(AgentConfig, UnlistedSectionIsAWarningUnlessItIsAModuleKeptAtHand) {
  auto cfg = load(
      "[pmda]\nmodules = r\n[r]\nmodule = runqlat\ncluster = 4\n[x]\nmodule = y\n"
      "[b]\nmodule = biolatency\ncluster = 0\n");
  ASSERT_EQ(cfg.warnings.size(), 1u);
  EXPECT_NE(cfg.warnings[0].find("[x] is not listed"), std::string::npos);
}

}  // namespace

TEST(AgentConfigKernelHeaders, DefaultsToAutoAndRefusesOtherValues) {
  EXPECT_EQ(load("[pmda]\nmodules = r\n[r]\nmodule = runqlat\ncluster = 4\n").kernel_headers,
            bcc::KernelHeaders::automatic);
  for (auto [text, mode] : {std::pair{"auto", bcc::KernelHeaders::automatic},
                            std::pair{"btf", bcc::KernelHeaders::btf},
                            std::pair{" installed ", bcc::KernelHeaders::installed}})
    EXPECT_EQ(load(std::string("[pmda]\nmodules = r\nkernel_headers =") + text +
                   "\n[r]\nmodule = runqlat\ncluster = 4\n")
                  .kernel_headers,
              mode);
  EXPECT_NE(error_of("[pmda]\nmodules = r\nkernel_headers = vmlinux\n")
                .find("bcc.conf:3: [pmda] kernel_headers = 'vmlinux': expected auto (the "
                      "installed headers when they match the running kernel, else the kernel's "
                      "BTF), btf or installed"),
            std::string::npos);
}
