// Newer PCP must not unregister us. From PCP 7.1.1, pmdabpf's Upgrade script
// runs at every pmcd start (pmcd's rc script runs every
// $PCP_PMDAS_DIR/*/Upgrade, in the background once pmcd has started, in the
// order of the folders' names): when pmcd.conf has a line beginning with
// "bcc" (the retired Python agent's) it deletes it (if a "bpf" line exists)
// or rewrites it into pmdabpf's line, and removes $PCP_VAR_DIR/pmns/bcc.
// Simulated here: a script doing that is the bpf agent's Upgrade for the
// length of the test (the folder is put back as it was), pmcd is restarted,
// then told to reread pmcd.conf, and bcc.* must still answer — whether the
// agent was installed by ./Install now (named "pmdabcc" in pmcd.conf) or by
// an older ./Install that named it "bcc" (our Upgrade, run before pmdabpf's,
// renames that line).
#include <gtest/gtest.h>
#include <pcp/pmapi.h>
#include <unistd.h>

#include <chrono>
#include <regex>
#include <string>
#include <thread>

#include "support/installed_agent.h"
#include "support/pcp_client.h"
#include "support/pcp_tools.h"
#include "support/pmcd_service.h"
#include "support/wait.h"

namespace bcc::test {
namespace {

const char* kConf = R"([pmda]
modules = sysfork

[sysfork]
module = sysfork
cluster = 2
)";

// What PCP >= 7.1.1's pmdabpf Upgrade does to an installation with a "bcc"
// line (written from its behaviour, for this test); it appends to $1 when
// it has run, so the test knows pmcd's rc script got to it.
std::string simulated_bpf_upgrade(const std::string& ran_marker) {
  return R"(#!/bin/sh
# test double of PCP >= 7.1.1's pmdabpf Upgrade (pmdabcc's pcp_upgrade_test)
. $PCP_DIR/etc/pcp.env
conf="$PCP_PMCDCONF_PATH"
if grep -q '^bcc' "$conf"
then
    if grep -q '^bpf' "$conf"
    then
        sed -i -e '/^bcc/d' "$conf"
    else
        sed -i -e "s,^bcc.*\$,bpf	157	pipe	binary	$PCP_PMDAS_DIR/bpf/pmdabpf -d 157," "$conf"
    fi
    rm -f "$PCP_VAR_DIR/pmns/bcc"
fi
echo ran >>')" + ran_marker + R"('
exit 0
)";
}

bool exists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

// pmcd.conf's lines that start with `name` followed by white space
std::string lines_named(const std::string& conf_text, const std::string& name) {
  std::string found;
  std::regex line("^" + name + "[ \t][^\n]*", std::regex::multiline);
  for (std::sregex_iterator it(conf_text.begin(), conf_text.end(), line), end; it != end; ++it)
    found += it->str() + "\n";
  return found;
}

bool agent_answers() {
  int status = 0;
  std::string out = run("pminfo -f bcc.proc.sysfork 2>&1", &status);
  return status == 0 && out.find("value ") != std::string::npos;
}

class NewerPcpUpgrade : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string unavailable = integration_unavailable();
    if (!unavailable.empty()) GTEST_SKIP() << unavailable;
    use_system_tools();  // pmcd's rc script and the agents' scripts run PCP's tools
    pmcd_conf_ = pcp_conf("PCP_PMCDCONF_PATH");
    pmns_file_ = pcp_conf("PCP_VAR_DIR") + "/pmns/bcc";
    bpf_dir_ = pcp_conf("PCP_PMDAS_DIR") + "/bpf";
    upgrade_ = bpf_dir_ + "/Upgrade";
    marker_ = "/run/pmdabcc-test-bpf-upgrade.ran";
    saved_pmcd_conf_ = read_text(pmcd_conf_);
    had_bpf_dir_ = exists(bpf_dir_);
    had_upgrade_ = exists(upgrade_);
    if (had_upgrade_) saved_upgrade_ = read_text(upgrade_);
    unlink(marker_.c_str());
    agent_ = std::make_unique<InstalledAgent>();
    ASSERT_TRUE(agent_->install(kConf)) << agent_->log();
    run("mkdir -p " + bpf_dir_);
    write_text(upgrade_, simulated_bpf_upgrade(marker_));
    chmod(upgrade_.c_str(), 0755);
  }

  void TearDown() override {
    if (saved_pmcd_conf_.empty()) return;  // skipped
    // the bpf folder as it was
    if (had_upgrade_) {
      write_text(upgrade_, saved_upgrade_);
    } else {
      unlink(upgrade_.c_str());
    }
    if (!had_bpf_dir_) rmdir(bpf_dir_.c_str());
    unlink(marker_.c_str());
    // whatever the simulation did to pmcd.conf is undone (the agent's own
    // line is put back by the agent's reinstall below)
    write_text(pmcd_conf_, saved_pmcd_conf_);
    run("pmsignal -a -s HUP pmcd >/dev/null 2>&1");
    agent_.reset();  // the previous bcc.conf, ./Install
  }

  // As a machine's boot or a package upgrade does. pmcd's rc script runs
  // the Upgrade scripts in the background after pmcd has started: wait
  // until the simulated one has run, then have pmcd reread pmcd.conf (as
  // any later reconfiguration does), and give the agent time to answer.
  void restart() {
    int status = 0;
    std::string out = bcc::test::restart_pmcd(&status);
    ASSERT_EQ(status, 0) << out;
    ASSERT_TRUE(wait_until([&] { return exists(marker_); }, 60))
        << "pmcd's rc script did not run " << upgrade_;
    run("pmsignal -a -s HUP pmcd >/dev/null 2>&1");
    std::this_thread::sleep_for(std::chrono::seconds(2));  // pmcd has reread pmcd.conf
  }

  void expect_still_registered() {
    EXPECT_TRUE(wait_until(agent_answers, 60))
        << run("pminfo -f bcc.proc.sysfork 2>&1") << agent_->log();
    std::string conf = read_text(pmcd_conf_);
    EXPECT_NE(lines_named(conf, "pmdabcc"), "") << conf;
    EXPECT_EQ(lines_named(conf, "bcc"), "") << conf;
    EXPECT_EQ(lines_named(conf, "bpf"), lines_named(saved_pmcd_conf_, "bpf")) << conf;
    EXPECT_TRUE(exists(pmns_file_)) << pmns_file_ << " was removed";
  }

  std::string pmcd_conf_, pmns_file_, bpf_dir_, upgrade_, marker_;
  std::string saved_pmcd_conf_, saved_upgrade_;
  bool had_bpf_dir_ = false, had_upgrade_ = false;
  std::unique_ptr<InstalledAgent> agent_;
};

TEST_F(NewerPcpUpgrade, InstalledAgentSurvivesPmcdRestart) {
  std::string conf = read_text(pmcd_conf_);
  ASSERT_NE(lines_named(conf, "pmdabcc"), "") << conf;
  ASSERT_EQ(lines_named(conf, "bcc"), "") << conf;
  restart();
  expect_still_registered();
}

TEST_F(NewerPcpUpgrade, OlderInstallsBccLineIsRenamedFirst) {
  // as ./Install named the agent before: "bcc", which pmdabpf's Upgrade takes
  // for the Python agent's
  std::string conf = read_text(pmcd_conf_);
  ASSERT_NE(lines_named(conf, "pmdabcc"), "") << conf;
  write_text(pmcd_conf_, std::regex_replace(conf, std::regex("^pmdabcc([ \t])",
                                                             std::regex::multiline),
                                            "bcc$1"));
  ASSERT_NE(lines_named(read_text(pmcd_conf_), "bcc"), "");
  restart();
  expect_still_registered();
}

// The simulation does what it should, on a copy of pmcd.conf (pcp.env keeps
// variables already set): without our names it would have taken the agent
// out. (No pmcd, no agent.)
TEST(SimulatedBpfUpgrade, TakesOutABccLineAndItsNamespace) {
  TempDir dir("pcp-upgrade");
  run("mkdir -p " + dir / "pmns");
  std::string script = dir / "Upgrade";
  write_text(script, simulated_bpf_upgrade(dir / "ran"));
  std::string bcc_line = "bcc\t149\tpipe\tbinary notready\t/x/bcc/pmdabcc -d 149\n";
  std::string bpf_line = "bpf\t157\tpipe\tbinary\t/x/bpf/pmdabpf -d 157\n";
  std::string env = "PCP_PMCDCONF_PATH=" + dir / "pmcd.conf" + " PCP_VAR_DIR=" + dir.path() +
                    " PCP_PMDAS_DIR=/x sh " + script;

  write_text(dir / "pmcd.conf", bcc_line + bpf_line);
  write_text(dir / "pmns/bcc", "bcc {}\n");
  run(env);
  EXPECT_EQ(read_text(dir / "pmcd.conf"), bpf_line);
  EXPECT_FALSE(exists(dir / "pmns/bcc"));

  write_text(dir / "pmcd.conf", bcc_line);
  write_text(dir / "pmns/bcc", "bcc {}\n");
  run(env);
  EXPECT_EQ(read_text(dir / "pmcd.conf"), bpf_line);
  EXPECT_FALSE(exists(dir / "pmns/bcc"));

  std::string ours = "pmdabcc\t149\tpipe\tbinary notready\t/x/bcc/pmdabcc -d 149\n";
  write_text(dir / "pmcd.conf", ours);
  write_text(dir / "pmns/bcc", "bcc {}\n");
  run(env);
  EXPECT_EQ(read_text(dir / "pmcd.conf"), ours);
  EXPECT_TRUE(exists(dir / "pmns/bcc"));
}

}  // namespace
}  // namespace bcc::test
