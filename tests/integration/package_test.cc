// The Debian package (cmake/package.cmake), as an operator meets it on a
// Debian machine with Debian's pcp, whose package owns files in the agent's
// folder (the retired Python agent's). Built from this build folder with
// cpack; its contents are those of the install rules, the binary stripped
// (symbols in the -dbgsym package). Installed, it diverts Debian's files and
// holds the folder alone; `apt-get install --reinstall pcp` leaves it in
// place and the agent answers after pmcd restarts; purged, Debian's files
// are back as they were. `cmake --install` diverts the same files, so the
// folder holds only what it installed; the test puts that installation
// back at the end.
#include <gtest/gtest.h>
#include <pcp/pmapi.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

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

const std::string kBuild = TEST_HELPER_DIR;

std::set<std::string> lines(const std::string& text) {
  std::set<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.insert(line);
  return out;
}

std::string joined(const std::set<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += item + "\n";
  return out;
}

// Every path below `dir` that is not a directory, with its kind and, for a
// link, its target: "Install l /usr/lib/pcp/pmdas/bcc/Install".
std::string folder_state(const std::string& dir) {
  return run("cd '" + dir + "' && find . ! -type d -printf '%P %y %l\\n' | sort");
}

// Files (not directories) below `dir`, absolute, from a list of paths.
std::set<std::string> files_below(const std::set<std::string>& paths, const std::string& dir) {
  std::set<std::string> out;
  for (const auto& p : paths) {
    struct stat st;
    if (p.rfind(dir + "/", 0) == 0 && (lstat(p.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)))
      out.insert(p);
  }
  return out;
}

// Files of other builds' install rules (another branch's executable, say)
// that neither this build nor pcp installs: left alone and not counted.
std::set<std::string> foreign_files;

std::string files_on_disk(const std::string& dir) {
  std::set<std::string> files = lines(run("find '" + dir + "' ! -type d"));
  for (const auto& f : foreign_files) files.erase(f);
  return joined(files);
}

std::string installed_by_cmake(const std::string& dir) {
  return joined(files_below(lines(read_text(kBuild + "/install_manifest.txt")), dir));
}

bool package_installed() {
  return run("dpkg-query -W -f='${db:Status-Status}' pmdabcc 2>/dev/null") == "installed";
}

// apt runs dpkg with its own PATH: the systemctl stand-in (where systemd
// is not PID 1, see scripts/prepare-machine.sh) goes on both
std::string apt_path() {
  std::string path = "/usr/sbin:/usr/bin:/sbin:/bin";
  if (run("cat /proc/1/comm 2>/dev/null") != "systemd\n") {
    run("mkdir -p /run/pmdabcc-shim && printf '#!/bin/sh\\nexit 0\\n' >/run/pmdabcc-shim/systemctl"
        " && chmod +x /run/pmdabcc-shim/systemctl");
    path = "/run/pmdabcc-shim:" + path;
  }
  return path;
}

bool agent_answers() {
  int status = 0;
  std::string out = run("pminfo -f bcc.pmda.module.state 2>&1", &status);
  return status == 0 && out.find("value \"active\"") != std::string::npos;
}

class DebianPackage : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string unavailable = integration_unavailable();
    if (!unavailable.empty()) GTEST_SKIP() << unavailable;
    int missing = 0;
    run("command -v dpkg-divert && command -v cpack", &missing);
    if (missing != 0)
      GTEST_SKIP() << "no dpkg or cpack: not a Debian machine";
    use_system_tools();
    close_inherited_on_exec();  // pcp's scripts may start pmcd
    dir_ = pcp_conf("PCP_PMDAS_DIR") + "/bcc";
    ASSERT_TRUE(access((kBuild + "/install_manifest.txt").c_str(), R_OK) == 0)
        << "cmake --install " << kBuild << " first (run-tests.sh does)";
    agent_ = std::make_unique<InstalledAgent>();
    std::set<std::string> known = lines(read_text(kBuild + "/install_manifest.txt"));
    for (const auto& f : lines(run("dpkg -L pcp"))) known.insert(f);
    foreign_files.clear();
    for (const auto& f : lines(run("find '" + dir_ + "' ! -type d")))
      if (!known.count(f)) foreign_files.insert(f);
    if (!foreign_files.empty())
      fprintf(stderr, "not this build's or pcp's, not counted:\n%s", joined(foreign_files).c_str());
  }

  void TearDown() override {
    if (!agent_) return;
    // back to the installation the suite runs: cmake --install's
    if (package_installed()) run("dpkg --purge pmdabcc >/dev/null 2>&1");
    int status = 0;
    std::string out = run("cmake --install '" + kBuild + "' 2>&1 >/dev/null", &status);
    EXPECT_EQ(status, 0) << out;
    EXPECT_EQ(files_on_disk(dir_), installed_by_cmake(dir_));
    agent_.reset();  // the previous bcc.conf, ./Install
  }

  std::string dir_;
  std::unique_ptr<InstalledAgent> agent_;
};

TEST_F(DebianPackage, CmakeInstallLeavesOnlyItsOwnFilesInTheFolder) {
  // Debian's Install, Upgrade, pmdabcc.python, bcc-*.conf links... diverted
  EXPECT_EQ(files_on_disk(dir_), installed_by_cmake(dir_));
  std::string diverted = run("dpkg-divert --list 2>/dev/null | grep -c ' by pmdabcc$' || true");
  // pcp's files there: the paths of its list that hold no other (its
  // directories do), whatever is on disk now
  std::string pcp_files =
      run("dpkg -L pcp | grep '^" + dir_ + "/' | awk '{ p[NR] = $0 } END { for (i in p) {"
          " d = 0; for (j in p) if (index(p[j], p[i] \"/\") == 1) { d = 1; break }"
          " if (!d) n++ } print n + 0 }'");
  EXPECT_EQ(diverted, pcp_files);
}

TEST_F(DebianPackage, InstallsBesideDebiansPcpSurvivesItsReinstallAndRemovesCleanly) {
  TempDir out("package");
  int status = 0;

  // build it, and look inside
  std::string built =
      run("cd '" + kBuild + "' && cpack -G DEB -B '" + out.path() + "' 2>&1", &status);
  ASSERT_EQ(status, 0) << built;
  std::string deb = run("ls " + out.path() + "/pmdabcc_*_*.deb | head -1");
  deb = deb.substr(0, deb.find('\n'));
  ASSERT_FALSE(deb.empty()) << built;
  EXPECT_NE(run("ls " + out.path() + "/pmdabcc-dbgsym_*.ddeb 2>&1"), "") << built;
  std::set<std::string> in_package;
  for (const auto& line : lines(run("dpkg-deb -c '" + deb + "'"))) {
    // "-rwxr-xr-x root/root 1234 2026-01-01 00:00 ./var/lib/pcp/pmdas/bcc/pmdabcc"
    std::string path = line.substr(line.find(" ./") + 2);
    if (path.back() != '/') in_package.insert(path);
  }
  // everything the install rules install, and nothing else
  EXPECT_EQ(joined(in_package), joined(lines(read_text(kBuild + "/install_manifest.txt"))));
  EXPECT_EQ(in_package.count(dir_ + "/pmdabcc.python"), 0u);
  std::string control = run("dpkg-deb -f '" + deb + "' Package Depends");
  EXPECT_NE(control.find("pcp"), std::string::npos) << control;
  EXPECT_NE(control.find("libbpfcc"), std::string::npos) << control;
  std::string preinst = run("dpkg-deb -I '" + deb + "' preinst");
  EXPECT_NE(preinst.find("dpkg-divert --quiet --package pmdabcc --rename"), std::string::npos);
  EXPECT_NE(preinst.find("\npmdabcc.python\n"), std::string::npos) << preinst;
  // stripped: no DWARF in the binary
  std::string binary = out / "pmdabcc";
  run("dpkg-deb --fsys-tarfile '" + deb + "' | tar -xO ." + dir_ + "/pmdabcc >" + binary);
  std::string sections = run("readelf -S --wide " + binary);
  EXPECT_NE(sections.find(".text"), std::string::npos);
  EXPECT_EQ(sections.find(".debug_info"), std::string::npos) << "not stripped";

  // a Debian machine with pcp and without us: `cmake --install` undone
  std::string removed =
      run("cmake --build '" + kBuild + "' --target uninstall 2>&1", &status);
  ASSERT_EQ(status, 0) << removed;
  std::string debians = folder_state(dir_);
  ASSERT_NE(debians.find("pmdabcc.python l /usr/lib/pcp/pmdas/bcc/pmdabcc.python"),
            std::string::npos) << debians;
  ASSERT_NE(debians.find("Install l /usr/lib/pcp/pmdas/bcc/Install"), std::string::npos)
      << debians;
  ASSERT_EQ(debians.find("pmdabcc "), std::string::npos) << debians;

  // installed: the folder holds the package's files alone, Debian's are aside
  std::string installed =
      run("DEBIAN_FRONTEND=noninteractive dpkg -i '" + deb + "' 2>&1", &status);
  ASSERT_EQ(status, 0) << installed;
  EXPECT_EQ(files_on_disk(dir_), joined(files_below(in_package, dir_)));
  EXPECT_EQ(run("dpkg -L pmdabcc | grep -x " + dir_ + "/Install"), dir_ + "/Install\n");
  EXPECT_EQ(run("dpkg-divert --truename " + dir_ + "/pmdabcc.python"),
            pcp_conf("PCP_VAR_DIR") + "/pmdabcc-diverted/pmdabcc.python\n");
  ASSERT_TRUE(agent_->install(kConf)) << agent_->log();
  ASSERT_TRUE(agent_answers());

  // pcp reinstalled (as an upgrade of it would): our files stay ours, its
  // files go where they were diverted, and after pmcd restarts (as an
  // upgrade restarts it) the agent answers
  std::string reinstalled =
      run("path=" + apt_path() + "; DEBIAN_FRONTEND=noninteractive PATH=$path "
          "apt-get install --reinstall -y -q --no-install-recommends -o DPkg::Path=$path pcp 2>&1",
          &status);
  ASSERT_EQ(status, 0) << reinstalled;
  EXPECT_EQ(files_on_disk(dir_), joined(files_below(in_package, dir_)));
  EXPECT_EQ(run("grep -c 'iam=pmdabcc' " + dir_ + "/Install"), "1\n");
  EXPECT_EQ(run("readlink " + pcp_conf("PCP_VAR_DIR") + "/pmdabcc-diverted/Install"),
            "/usr/lib/pcp/pmdas/bcc/Install\n");
  std::string restarted = restart_pmcd(&status);
  ASSERT_EQ(status, 0) << restarted;
  EXPECT_TRUE(wait_until(agent_answers, 60)) << run("pminfo -f bcc.pmda.module.state 2>&1")
                                             << agent_->log();

  // purged: unregistered from pmcd, and Debian's files back as they were
  std::string purged = run("dpkg --purge pmdabcc 2>&1", &status);
  ASSERT_EQ(status, 0) << purged;
  EXPECT_EQ(folder_state(dir_), debians);
  EXPECT_EQ(run("dpkg-divert --list 2>/dev/null | grep ' by pmdabcc$' || true"), "");
  EXPECT_EQ(access((pcp_conf("PCP_VAR_DIR") + "/pmdabcc-diverted").c_str(), F_OK), -1);
  EXPECT_EQ(run("grep -E '^(pmdabcc|bcc)[[:space:]]' " + pcp_conf("PCP_PMCDCONF_PATH") +
                " || true"),
            "");
  EXPECT_FALSE(agent_answers());
}

}  // namespace
}  // namespace bcc::test
