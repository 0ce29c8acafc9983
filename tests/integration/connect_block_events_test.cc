// tcpconnect, tcpconnlat, biosnoop and vfsstat in the real pmcd: loopback
// connections this test makes (IPv4, and IPv6 where the machine has ::1)
// show up with this process, its addresses and ports, and a sane latency;
// a port and pid filter keeps only this process's connections to its port;
// a direct write of a known size shows up under this pid with its disk and
// a W in its rwbs, also through a disk filter; vfsstat, which only kprobes
// can serve, fails naming them where the kernel has none.
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>

#include "support/agent_suite.h"
#include "support/kernel_features.h"
#include "support/network.h"
#include "support/pcp_tools.h"
#include "support/wait.h"

namespace bcc::test {
namespace {

const std::string kFile = "/var/tmp/pmdabcc-biosnoop-test-" + std::to_string(getpid());
const size_t kWriteBytes = 64 * 1024;

// This process's command name, as the kernel keeps it.
std::string own_comm() {
  char name[17] = {};
  prctl(PR_GET_NAME, name);
  return name;
}

// The whole disk holding `path` ("vda"), from sysfs; "" when unknown.
std::string disk_of(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return "";
  std::string dev = "/sys/dev/block/" + std::to_string(major(st.st_dev)) + ":" +
                    std::to_string(minor(st.st_dev));
  struct stat partition;
  if (stat((dev + "/partition").c_str(), &partition) == 0) dev += "/..";
  std::ifstream uevent(dev + "/uevent");
  for (std::string line; std::getline(uevent, line);)
    if (line.rfind("DEVNAME=", 0) == 0) return line.substr(8);
  return "";
}

// One write of `bytes` with O_DIRECT over the start of `path`, which holds
// that many bytes already (allocated and synced), so that the write is one
// request of exactly that size. Returns "" or what failed.
std::string direct_overwrite(const std::string& path, size_t bytes) {
  int fd = open(path.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0600);
  if (fd < 0) return "open " + path + ": " + strerror(errno);
  std::string data(bytes, 'x');
  bool ok = write(fd, data.data(), bytes) == static_cast<ssize_t>(bytes) && fsync(fd) == 0;
  close(fd);
  if (!ok) return "buffered write of " + path + " failed";
  void* buf = nullptr;
  if (posix_memalign(&buf, 4096, bytes) != 0) return "posix_memalign";
  memset(buf, 'y', bytes);
  fd = open(path.c_str(), O_WRONLY | O_DIRECT | O_SYNC);
  ok = fd >= 0 && pwrite(fd, buf, bytes, 0) == static_cast<ssize_t>(bytes);
  std::string error = ok ? "" : "direct write of " + path + ": " + strerror(errno);
  if (fd >= 0) close(fd);
  free(buf);
  return error;
}

class ConnectBlockEvents : public AgentSuite {
 protected:
  static void SetUpTestSuite() {
    watched_ = new TcpListener(AF_INET);
    other_ = new TcpListener(AF_INET);
    disk_ = disk_of("/var/tmp");
    std::string conf =
        "[pmda]\nmodules = tcpconnect,watched,tcpconnlat,biosnoop,one_disk,vfsstat\n"
        "module_failure_fatal = False\n\n"
        "[tcpconnect]\nmodule = tcpconnect\ncluster = 65\nprocess_count = 200\n\n"
        "[watched]\nmodule = tcpconnect\ncluster = 165\nprefix = bcc.watched.\n"
        "port = " + std::to_string(watched_->port()) + "\npid = " + std::to_string(getpid()) +
        "\n\n"
        "[tcpconnlat]\nmodule = tcpconnlat\ncluster = 66\nprocess_count = 200\nmin_us = 0\n\n"
        "[biosnoop]\nmodule = biosnoop\ncluster = 67\nprocess_count = 500\n\n"
        "[one_disk]\nmodule = biosnoop\ncluster = 167\nprefix = bcc.one_disk.\n"
        "process_count = 500\ndisk = " + (disk_.empty() ? std::string("vda") : disk_) + "\n\n"
        "[vfsstat]\nmodule = vfsstat\ncluster = 69\n";
    install_for_suite(conf);
  }
  static void TearDownTestSuite() {
    remove_for_suite();
    delete watched_;
    delete other_;
    unlink(kFile.c_str());
  }
  void check_fixtures() override {
    ASSERT_TRUE(watched_->fd() >= 0 && other_->fd() >= 0);
    ASSERT_NE(disk_, "") << "no disk found for /var/tmp";
  }

  // The instance of a table whose columns have these values, or "".
  std::string find_row(const std::string& prefix, const std::vector<std::string>& columns,
                       const std::map<std::string, std::string>& wanted,
                       std::map<std::string, std::string>* found = nullptr) {
    std::vector<std::string> metrics;
    for (const std::string& c : columns) metrics.push_back(prefix + c);
    for (auto& [inst, row] : pcp_.rows(metrics)) {
      bool match = true;
      for (const auto& [column, value] : wanted) match = match && row[prefix + column] == value;
      if (!match) continue;
      if (found)
        for (const std::string& c : columns) (*found)[c] = row[prefix + c];
      return inst;
    }
    return "";
  }

  // A connection through `listener` from this process, closed again.
  uint16_t connect_once(const TcpListener& listener) {
    TcpPair pair = tcp_connect(listener);
    EXPECT_EQ(pair.error, "");
    pair.close_both();
    return pair.client_port;
  }

  void expect_connection_seen(const TcpListener& listener, const char* loopback, int version) {
    uint16_t client_port = connect_once(listener);
    ASSERT_NE(client_port, 0);
    const std::vector<std::string> connect_columns = {"pid", "comm", "ipversion", "saddr",
                                                      "daddr", "dport", "uid"};
    std::map<std::string, std::string> row;
    ASSERT_TRUE(wait_until([&] {
      return !find_row("bcc.tcpconnect.", connect_columns,
                       {{"pid", std::to_string(getpid())},
                        {"dport", std::to_string(listener.port())}},
                       &row)
                  .empty();
    })) << "no connection of pid " << getpid() << " to port " << listener.port()
        << " in bcc.tcpconnect";
    EXPECT_EQ(row["comm"], own_comm());
    EXPECT_EQ(row["ipversion"], std::to_string(version));
    EXPECT_EQ(row["saddr"], loopback);
    EXPECT_EQ(row["daddr"], loopback);
    EXPECT_EQ(row["uid"], std::to_string(getuid()));

    const std::vector<std::string> latency_columns = {"pid", "comm", "ipversion", "saddr",
                                                      "lport", "daddr", "dport", "lat"};
    row.clear();
    ASSERT_TRUE(wait_until([&] {
      return !find_row("bcc.tcpconnlat.", latency_columns,
                       {{"lport", std::to_string(client_port)},
                        {"dport", std::to_string(listener.port())}},
                       &row)
                  .empty();
    })) << "no connection from port " << client_port << " to " << listener.port()
        << " in bcc.tcpconnlat";
    EXPECT_EQ(row["pid"], std::to_string(getpid()));
    EXPECT_EQ(row["comm"], own_comm());
    EXPECT_EQ(row["ipversion"], std::to_string(version));
    EXPECT_EQ(row["saddr"], loopback);
    EXPECT_EQ(row["daddr"], loopback);
    double latency_us = std::strtod(row["lat"].c_str(), nullptr);
    EXPECT_GT(latency_us, 0.0) << row["lat"];
    EXPECT_LT(latency_us, 1e6) << row["lat"] << " µs for a loopback connection";
  }

  static inline TcpListener* watched_ = nullptr;  // the port [watched] follows
  static inline TcpListener* other_ = nullptr;
  static inline std::string disk_;                // of /var/tmp
};

TEST_F(ConnectBlockEvents, ModulesRunOnTracepoints) {
  for (const char* m : {"tcpconnect", "watched", "tcpconnlat", "biosnoop", "one_disk"})
    EXPECT_EQ(status(m), "active: ") << m;
  auto probes = pcp_.strings("bcc.pmda.module.probes");
  EXPECT_EQ(probes["tcpconnect"], "state=tracepoint sock:inet_sock_set_state");
  EXPECT_EQ(probes["tcpconnlat"],
            "state=tracepoint sock:inet_sock_set_state, destroy=tracepoint tcp:tcp_destroy_sock");
  EXPECT_EQ(probes["biosnoop"],
            "start=raw_tracepoint block_io_start, issue=raw_tracepoint block_rq_issue, "
            "done=raw_tracepoint block_rq_complete");
}

TEST_F(ConnectBlockEvents, Ipv4ConnectionShowsProcessAddressesAndLatency) {
  TcpListener v4(AF_INET);  // a port of its own: no other test's connection has it
  ASSERT_GE(v4.fd(), 0);
  expect_connection_seen(v4, "127.0.0.1", 4);
  EXPECT_EQ(pcp_.numbers("bcc.tcpconnect.lost")[""], 0u);
  EXPECT_EQ(pcp_.numbers("bcc.tcpconnlat.lost")[""], 0u);
}

TEST_F(ConnectBlockEvents, Ipv6ConnectionShowsProcessAddressesAndLatency) {
  TcpListener v6(AF_INET6);
  if (v6.fd() < 0) GTEST_SKIP() << "no IPv6 loopback (::1) on this machine";
  expect_connection_seen(v6, "::1", 6);
}

TEST_F(ConnectBlockEvents, PortAndPidFilterKeepOnlyThisProcessToThatPort) {
  // another process to the watched port: bash's /dev/tcp client
  std::string command = "bash -c 'exec 3<>/dev/tcp/127.0.0.1/" +
                        std::to_string(watched_->port()) + "; exec 3>&-'";
  int status = 0;
  run(command, &status);
  ASSERT_EQ(status, 0);
  int accepted = accept(watched_->fd(), nullptr, nullptr);
  ASSERT_GE(accepted, 0);
  close(accepted);
  connect_once(*other_);
  connect_once(*watched_);
  // all three in the unfiltered table; by then the filtered one has had its chance
  const std::vector<std::string> columns = {"pid", "comm", "dport"};
  const std::string port = std::to_string(watched_->port());
  ASSERT_TRUE(wait_until([&] {
    return !find_row("bcc.tcpconnect.", columns, {{"comm", "bash"}, {"dport", port}}).empty() &&
           !find_row("bcc.tcpconnect.", columns,
                     {{"pid", std::to_string(getpid())}, {"dport", port}})
                .empty() &&
           !find_row("bcc.tcpconnect.", columns,
                     {{"pid", std::to_string(getpid())},
                      {"dport", std::to_string(other_->port())}})
                .empty();
  })) << "the three connections are not all in bcc.tcpconnect";
  auto pids = pcp_.numbers("bcc.watched.tcpconnect.pid");
  auto dports = pcp_.numbers("bcc.watched.tcpconnect.dport");
  EXPECT_FALSE(pids.empty()) << "this process's connection to the watched port is missing";
  for (const auto& [inst, pid] : pids) {
    EXPECT_EQ(pid, static_cast<uint64_t>(getpid())) << "instance " << inst;
    EXPECT_EQ(dports[inst], watched_->port()) << "instance " << inst;
  }
}

TEST_F(ConnectBlockEvents, DirectWriteShowsUnderThisPidWithItsDiskAndSize) {
  ASSERT_EQ(direct_overwrite(kFile, kWriteBytes), "");
  const std::vector<std::string> columns = {"pid", "comm", "bytes", "disk", "rwbs", "lat",
                                            "sector"};
  for (const char* prefix : {"bcc.biosnoop.", "bcc.one_disk.biosnoop."}) {
    std::map<std::string, std::string> row;
    ASSERT_TRUE(wait_until([&] {
      return !find_row(prefix, columns,
                       {{"pid", std::to_string(getpid())},
                        {"bytes", std::to_string(kWriteBytes)}},
                       &row)
                  .empty();
    })) << "no request of " << kWriteBytes << " bytes from pid " << getpid() << " in " << prefix;
    EXPECT_EQ(row["comm"], own_comm()) << prefix;
    EXPECT_EQ(row["disk"], disk_) << prefix;
    EXPECT_NE(row["rwbs"].find('W'), std::string::npos) << prefix << " rwbs " << row["rwbs"];
    EXPECT_GT(std::strtoull(row["lat"].c_str(), nullptr, 10), 0u) << prefix;
  }
  for (const auto& [inst, disk] : pcp_.strings("bcc.one_disk.biosnoop.disk"))
    EXPECT_EQ(disk, disk_) << "instance " << inst << " of the disk-filtered table";
}

TEST_F(ConnectBlockEvents, PmrepSetsShowTheTables) {
  TcpPair pair = tcp_connect(*other_);
  ASSERT_EQ(pair.error, "");
  pair.close_both();
  use_system_tools();  // pmrep runs on the system's python3
  ASSERT_TRUE(wait_until([&] {
    return !find_row("bcc.tcpconnlat.", {"lport"}, {{"lport", std::to_string(pair.client_port)}})
                .empty();
  }));
  std::string out = run("pmrep -s 1 :bcc-tcpconnect 2>&1");
  EXPECT_NE(out.find(own_comm()), std::string::npos) << out;
  EXPECT_NE(out.find(std::to_string(other_->port())), std::string::npos) << out;
  out = run("pmrep -s 1 :bcc-tcpconnlat 2>&1");
  EXPECT_NE(out.find(own_comm()), std::string::npos) << out;
  EXPECT_NE(out.find("127.0.0.1"), std::string::npos) << out;
  const size_t bytes = kWriteBytes / 2;  // not the size of the other test's write
  ASSERT_EQ(direct_overwrite(kFile, bytes), "");
  ASSERT_TRUE(wait_until([&] {
    return !find_row("bcc.biosnoop.", {"pid", "bytes"},
                     {{"pid", std::to_string(getpid())}, {"bytes", std::to_string(bytes)}})
                .empty();
  }));
  out = run("pmrep -s 1 :bcc-biosnoop 2>&1");
  EXPECT_NE(out.find(disk_), std::string::npos) << out;
  EXPECT_NE(out.find(std::to_string(bytes)), std::string::npos) << out;
}

TEST_F(ConnectBlockEvents, MetadataIsPmdabpfs) {
  MetricInfo lat = pcp_.describe("bcc.tcpconnlat.lat");
  EXPECT_EQ(lat.type, PM_TYPE_DOUBLE);
  EXPECT_EQ(lat.units, "microsec");
  EXPECT_EQ(pcp_.describe("bcc.tcpconnect.pid").semantics, PM_SEM_DISCRETE);
  EXPECT_EQ(pcp_.describe("bcc.biosnoop.lat").type, PM_TYPE_U64);
  EXPECT_EQ(pcp_.describe("bcc.biosnoop.bytes").type, PM_TYPE_U32);
  MetricInfo lost = pcp_.describe("bcc.biosnoop.lost");
  EXPECT_EQ(lost.type, PM_TYPE_U32);
  EXPECT_EQ(lost.semantics, PM_SEM_COUNTER);
  MetricInfo read = pcp_.describe("bcc.vfsstat.read");
  EXPECT_EQ(read.type, PM_TYPE_U64);
  EXPECT_EQ(read.semantics, PM_SEM_COUNTER);
}

TEST_F(ConnectBlockEvents, VfsstatCountsReadsOrFailsNamingItsKprobes) {
  std::string state = pcp_.strings("bcc.pmda.module.state")["vfsstat"];
  std::string reason = pcp_.strings("bcc.pmda.module.reason")["vfsstat"];
  if (!kernel_has_kprobes()) {
    EXPECT_EQ(state, "failed") << reason;
    for (const char* fn : {"vfs_read", "vfs_write", "vfs_fsync", "vfs_open", "vfs_create"})
      EXPECT_NE(reason.find(std::string("kprobe ") + fn), std::string::npos) << reason;
    EXPECT_TRUE(pcp_.numbers("bcc.vfsstat.read").empty());
    GTEST_SKIP() << "kprobes unavailable: " << reason;
  }
  ASSERT_EQ(state, "active") << reason;
  uint64_t before = pcp_.numbers("bcc.vfsstat.read")[""];
  for (int i = 0; i < 100; i++) {
    std::ifstream in("/proc/self/stat");
    std::string text;
    std::getline(in, text);
  }
  EXPECT_GE(pcp_.numbers("bcc.vfsstat.read")[""] - before, 100u);
}

}  // namespace
}  // namespace bcc::test
