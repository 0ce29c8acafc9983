// opensnoop, statsnoop, mountsnoop and fsslower in the real pmcd: the calls
// this test makes (opens and stats of files with hostile names, a tmpfs
// mounted and unmounted, a slow fsync on ext4) show up as rows with their
// process, names and results; each section follows this process only
// (pmdabpf's `pid` option, or `process`; opensnoop also by `uid`),
// statsnoop's `failed` keeps only failures.
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <string>
#include <vector>

#include "support/agent_suite.h"
#include "support/pcp_tools.h"
#include "support/wait.h"

namespace bcc::test {
namespace {

using Rows = std::map<std::string, std::map<std::string, std::string>>;

std::string own_pid() { return std::to_string(getpid()); }

class FileEvents : public AgentSuite {
 protected:
  static void SetUpTestSuite() {
    const std::string pid = "pid = " + own_pid() + "\n";
    install_for_suite("[pmda]\nmodules = opensnoop,statsnoop,statsnoop_all,mountsnoop,fsslower\n"
                      "module_failure_fatal = False\n\n"
                      "[opensnoop]\nmodule = opensnoop\ncluster = 63\nuid = " +
                      std::to_string(getuid()) + "\n" + pid +
                      "\n[statsnoop]\nmodule = statsnoop\ncluster = 64\nfailed = True\n" + pid +
                      "\n[statsnoop_all]\nmodule = statsnoop\ncluster = 164\n"
                      "prefix = bcc.all.\nprocess = " + own_pid() + "\n" +
                      "\n[mountsnoop]\nmodule = mountsnoop\ncluster = 62\n" + pid +
                      "\n[fsslower]\nmodule = fsslower\ncluster = 68\nmin = 1\n" + pid);
  }

  // The rows of `metrics` (one fetch) whose column `key` is `value`.
  std::vector<std::map<std::string, std::string>> rows_where(
      const std::vector<std::string>& metrics, const std::string& key, const std::string& value) {
    std::vector<std::map<std::string, std::string>> out;
    for (auto& [inst, row] : pcp_.rows(metrics))
      if (row[key] == value) out.push_back(row);
    return out;
  }
};

TEST_F(FileEvents, ModulesRunOnTracepoints) {
  for (const char* m : {"opensnoop", "statsnoop", "statsnoop_all", "mountsnoop"})
    EXPECT_EQ(pcp_.strings("bcc.pmda.module.state")[m], "active") << m << ": " << status(m);
  EXPECT_NE(pcp_.strings("bcc.pmda.module.probes")["opensnoop"].find(
                "openat_enter=tracepoint syscalls:sys_enter_openat"),
            std::string::npos);
}

TEST_F(FileEvents, OpensnoopShowsAHostileNameOpenedAndAMissingFile) {
  TempDir dir("file events");
  const std::string hostile = dir.path() + "/open me\n\x01.txt";
  const std::string missing = dir.path() + "/missing file";
  int fd = open(hostile.c_str(), O_CREAT | O_WRONLY, 0600);
  ASSERT_GE(fd, 0);
  close(fd);
  ASSERT_LT(open(missing.c_str(), O_RDONLY), 0);
  ASSERT_EQ(errno, ENOENT);

  const std::vector<std::string> m = {"bcc.opensnoop.pid",   "bcc.opensnoop.fname",
                                      "bcc.opensnoop.fd",    "bcc.opensnoop.err",
                                      "bcc.opensnoop.flags", "bcc.opensnoop.comm",
                                      "bcc.opensnoop.uid"};
  std::vector<std::map<std::string, std::string>> opened, failed;
  ASSERT_TRUE(wait_until([&] {
    opened = rows_where(m, "bcc.opensnoop.fname", hostile);
    failed = rows_where(m, "bcc.opensnoop.fname", missing);
    return !opened.empty() && !failed.empty();
  })) << "opens of this test not found in bcc.opensnoop";
  auto& o = opened.front();
  EXPECT_EQ(o["bcc.opensnoop.pid"], own_pid());
  EXPECT_EQ(o["bcc.opensnoop.fd"], std::to_string(fd));
  EXPECT_EQ(o["bcc.opensnoop.err"], "0");
  EXPECT_EQ(o["bcc.opensnoop.flags"], std::to_string(O_CREAT | O_WRONLY));
  EXPECT_EQ(o["bcc.opensnoop.uid"], std::to_string(getuid()));
  EXPECT_EQ(o["bcc.opensnoop.comm"], "file_events_tes");  // 15 bytes
  auto& f = failed.front();
  EXPECT_EQ(f["bcc.opensnoop.pid"], own_pid());
  EXPECT_EQ(f["bcc.opensnoop.fd"], "-1");
  EXPECT_EQ(f["bcc.opensnoop.err"], std::to_string(ENOENT));
  // the pid option: no other process
  for (auto& [inst, pid] : pcp_.numbers("bcc.opensnoop.pid"))
    EXPECT_EQ(std::to_string(pid), own_pid()) << "instance " << inst;
}

TEST_F(FileEvents, StatsnoopFailedShowsOnlyTheFailingStat) {
  TempDir dir("file events");
  const std::string present = dir.path();  // exists
  const std::string missing = dir.path() + "/no such\x01 file";
  struct stat st;
  ASSERT_EQ(stat(present.c_str(), &st), 0);
  ASSERT_NE(stat(missing.c_str(), &st), 0);
  ASSERT_EQ(errno, ENOENT);

  const std::vector<std::string> failed_only = {"bcc.statsnoop.path", "bcc.statsnoop.ret",
                                                "bcc.statsnoop.err", "bcc.statsnoop.pid"};
  const std::vector<std::string> all = {"bcc.all.statsnoop.path", "bcc.all.statsnoop.ret",
                                        "bcc.all.statsnoop.err"};
  std::vector<std::map<std::string, std::string>> failure, success_in_all;
  ASSERT_TRUE(wait_until([&] {
    failure = rows_where(failed_only, "bcc.statsnoop.path", missing);
    success_in_all = rows_where(all, "bcc.all.statsnoop.path", present);
    return !failure.empty() && !success_in_all.empty();
  })) << "stats of this test not found";
  EXPECT_EQ(failure.front()["bcc.statsnoop.err"], std::to_string(ENOENT));
  EXPECT_EQ(failure.front()["bcc.statsnoop.ret"], "-1");
  EXPECT_EQ(failure.front()["bcc.statsnoop.pid"], own_pid());
  EXPECT_EQ(success_in_all.front()["bcc.all.statsnoop.err"], "0");
  EXPECT_EQ(success_in_all.front()["bcc.all.statsnoop.ret"], "0");
  // the unfiltered section saw the success: the failed-only one dropped it
  EXPECT_TRUE(rows_where(failed_only, "bcc.statsnoop.path", present).empty());
  for (auto& [inst, err] : pcp_.rows({"bcc.statsnoop.err"}))
    EXPECT_NE(err["bcc.statsnoop.err"], "0") << "instance " << inst;
  // the process option: only this process
  for (auto& [inst, pid] : pcp_.numbers("bcc.all.statsnoop.pid"))
    EXPECT_EQ(std::to_string(pid), own_pid()) << "instance " << inst;
}

TEST_F(FileEvents, MountsnoopShowsATmpfsMountedAndUnmounted) {
  TempDir dir("mount target");  // a space in the target
  ASSERT_EQ(mount("file events", dir.path().c_str(), "tmpfs", MS_NOSUID, "size=1m"), 0)
      << strerror(errno);
  ASSERT_EQ(umount2(dir.path().c_str(), 0), 0) << strerror(errno);

  const std::vector<std::string> m = {
      "bcc.mountsnoop.op",     "bcc.mountsnoop.fs",   "bcc.mountsnoop.source",
      "bcc.mountsnoop.target", "bcc.mountsnoop.ret",  "bcc.mountsnoop.pid",
      "bcc.mountsnoop.data",   "bcc.mountsnoop.flags", "bcc.mountsnoop.call",
      "bcc.mountsnoop.mnt_ns", "bcc.mountsnoop.lat"};
  std::map<std::string, std::string> mounted, unmounted;
  ASSERT_TRUE(wait_until([&] {
    for (auto& row : rows_where(m, "bcc.mountsnoop.target", dir.path()))
      (row["bcc.mountsnoop.op"] == "MOUNT" ? mounted : unmounted) = row;
    return !mounted.empty() && !unmounted.empty();
  })) << "the mount and umount of " << dir.path() << " not found in bcc.mountsnoop";
  EXPECT_EQ(mounted["bcc.mountsnoop.fs"], "tmpfs");
  EXPECT_EQ(mounted["bcc.mountsnoop.source"], "file events");
  EXPECT_EQ(mounted["bcc.mountsnoop.ret"], "0");
  EXPECT_EQ(mounted["bcc.mountsnoop.pid"], own_pid());
  EXPECT_EQ(mounted["bcc.mountsnoop.data"], "size=1m");
  EXPECT_EQ(mounted["bcc.mountsnoop.flags"], "MS_NOSUID");
  EXPECT_EQ(mounted["bcc.mountsnoop.call"], "mount(\"file events\", \"" + dir.path() +
                                                "\", \"tmpfs\", MS_NOSUID, \"size=1m\") = 0");
  struct stat ns;
  ASSERT_EQ(stat("/proc/self/ns/mnt", &ns), 0);
  EXPECT_EQ(mounted["bcc.mountsnoop.mnt_ns"], std::to_string(ns.st_ino));
  EXPECT_GT(std::stoll(mounted["bcc.mountsnoop.lat"]), 0);
  EXPECT_EQ(unmounted["bcc.mountsnoop.op"], "UMOUNT");
  EXPECT_EQ(unmounted["bcc.mountsnoop.ret"], "0");
  EXPECT_EQ(unmounted["bcc.mountsnoop.call"], "umount(\"" + dir.path() + "\", 0x0) = 0");
}

TEST_F(FileEvents, FsslowerShowsASlowExt4Fsync) {
  TempDir dir("fsslower");  // under /var/tmp
  std::string fs = run("findmnt -n -o FSTYPE -T '" + dir.path() + "'");
  if (fs != "ext4\n") GTEST_SKIP() << dir.path() << " is not on ext4 but " << fs;
  // without kprobes only ext4's fsync is measured: partial, saying why
  std::string state = pcp_.strings("bcc.pmda.module.state")["fsslower"];
  ASSERT_TRUE(state == "active" || state == "partial") << status("fsslower");
  if (state == "partial") {
    EXPECT_NE(status("fsslower").find("read_entry"), std::string::npos) << status("fsslower");
  }

  const std::string name = "slow sync\x01";
  int fd = open((dir.path() + "/" + name).c_str(), O_CREAT | O_WRONLY, 0600);
  ASSERT_GE(fd, 0);
  std::string block(1 << 20, 'x');
  // fsyncs of 8 MB written, until one takes over `min` (1 ms) by this clock
  bool slow = false;
  for (int round = 0; round < 5 && !slow; round++) {
    for (int i = 0; i < 8; i++)
      ASSERT_EQ(write(fd, block.data(), block.size()), static_cast<ssize_t>(block.size()));
    auto start = std::chrono::steady_clock::now();
    ASSERT_EQ(fsync(fd), 0);
    slow = std::chrono::steady_clock::now() - start > std::chrono::milliseconds(2);
  }
  close(fd);
  ASSERT_TRUE(slow) << "no fsync of 8 MB took 2 ms: the disk is too fast for this test";

  const std::vector<std::string> m = {"bcc.fsslower.filename", "bcc.fsslower.file_op",
                                      "bcc.fsslower.lat", "bcc.fsslower.pid",
                                      "bcc.fsslower.comm"};
  std::vector<std::map<std::string, std::string>> found;
  ASSERT_TRUE(wait_until([&] {
    found.clear();
    for (auto& row : rows_where(m, "bcc.fsslower.filename", name))
      if (row["bcc.fsslower.file_op"] == "F") found.push_back(row);
    return !found.empty();
  })) << "no slow fsync of " << name << " in bcc.fsslower";
  for (auto& row : found) {
    EXPECT_GE(std::stod(row["bcc.fsslower.lat"]), 1000.0);  // min = 1 ms, in µs
    EXPECT_EQ(row["bcc.fsslower.pid"], own_pid());
    EXPECT_EQ(row["bcc.fsslower.comm"], "file_events_tes");
  }
}

// The shipped pmrep sets show the rows; pmlogconf includes the groups of
// the modules that run.
TEST_F(FileEvents, PmrepSetsAndPmlogconfGroups) {
  use_system_tools();
  const std::string marker = "/var/tmp/pmdabcc-pmrep-marker-" + own_pid();
  ASSERT_LT(open(marker.c_str(), O_RDONLY), 0);
  struct stat st;
  ASSERT_NE(stat(marker.c_str(), &st), 0);
  ASSERT_TRUE(wait_until([&] {
    return !rows_where({"bcc.opensnoop.fname"}, "bcc.opensnoop.fname", marker).empty() &&
           !rows_where({"bcc.statsnoop.path"}, "bcc.statsnoop.path", marker).empty();
  }));
  for (const char* set : {":bcc-opensnoop", ":bcc-statsnoop"}) {
    std::string out = run(std::string("pmrep -s 1 ") + set + " 2>&1");
    EXPECT_NE(out.find(marker), std::string::npos) << set << ":\n" << out;
    EXPECT_NE(out.find(own_pid()), std::string::npos) << set << ":\n" << out;
  }
  for (const char* set : {":bcc-mountsnoop", ":bcc-fsslower"}) {
    int status = -1;
    std::string out = run(std::string("pmrep -s 1 ") + set + " 2>&1", &status);
    EXPECT_EQ(status, 0) << set << ":\n" << out;
    EXPECT_NE(out.find("COMM"), std::string::npos) << set << ":\n" << out;
  }
  TempDir dir("pmlogconf");
  run("pmlogconf -c -q " + dir / "config" + " >/dev/null 2>&1");
  std::string config = read_text(dir / "config");
  for (const char* group : {"opensnoop", "statsnoop", "mountsnoop", "fsslower"})
    EXPECT_NE(config.find(std::string("#+ bcc/") + group + ":y:"), std::string::npos)
        << group << " in\n" << config;
}

}  // namespace
}  // namespace bcc::test

