// bioperpid and biotop in the real pmcd: direct I/O of a known size from a
// known pid, on the root disk, shows under that pid with at least those
// bytes; exited processes leave bioperpid; biotop ranks by its sort option.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>

#include "support/agent_suite.h"
#include "support/pcp_tools.h"
#include "support/processes.h"
#include "support/wait.h"
#include "support/workload.h"

namespace bcc::test {
namespace {

const std::string kFile = "/var/tmp/pmdabcc-bio-test-" + std::to_string(getpid());
const int kBlocks = 64;  // of 4 KiB, written with O_DIRECT
const uint64_t kBytes = kBlocks * 4096;

// A child that writes `blocks` direct 4 KiB blocks, then waits for `release`
// to be closed before exiting.
struct Writer {
  pid_t pid = -1;
  int release = -1;
  Writer(const std::string& path, int blocks) {
    int fds[2];
    if (pipe(fds) != 0) return;
    pid = fork();
    if (pid == 0) {
      close(fds[1]);
      std::string error = direct_writes(path, blocks);
      char c;
      alarm(60);
      (void)!read(fds[0], &c, 1);
      _exit(error.empty() ? 0 : 1);
    }
    close(fds[0]);
    release = fds[1];
  }
  void finish() {
    if (release >= 0) close(release);
    release = -1;
    if (pid > 0) waitpid(pid, nullptr, 0);
    pid = -1;
  }
  ~Writer() { finish(); }
};

class Bio : public AgentSuite {
 protected:
  static void SetUpTestSuite() {
    install_for_suite(R"([pmda]
modules = bioperpid,biotop,by_io
module_failure_fatal = False

[bioperpid]
module = bioperpid
cluster = 1

[biotop]
module = biotop
cluster = 10
process_count = 200

[by_io]
module = biotop
cluster = 110
prefix = bcc.by_io.
sort = io
process_count = 200
)");
  }
  static void TearDownTestSuite() { remove_for_suite(); }

  // Bytes bioperpid shows for `pid`, over every disk.
  uint64_t bytes_of(pid_t pid) {
    uint64_t total = 0;
    for (auto& [inst, bytes] : pcp_.numbers("bcc.proc.io.total"))
      if (inst.size() > 8 && inst.substr(inst.size() - 8) == "::" + padded_pid(pid)) total += bytes;
    return total;
  }

  // biotop's pid column, instance index -> pid; {} when the table changed
  // while being read (its instances are replaced every interval).
  std::map<int, uint64_t> ranking(const std::string& prefix) {
    try {
      std::map<int, uint64_t> out;
      for (auto& [inst, pid] : pcp_.numbers(prefix + "proc.io.perdev.pid"))
        out[std::stoi(inst)] = pid;
      return out;
    } catch (const std::runtime_error&) {
      return {};
    }
  }
};

TEST_F(Bio, ModulesRunOnBlockTracepoints) {
  for (const char* section : {"bioperpid", "biotop", "by_io"})
    EXPECT_EQ(status(section), "active: ") << section;
  std::string probes = pcp_.strings("bcc.pmda.module.probes")["biotop"];
  EXPECT_NE(probes.find("done=tracepoint block:block_rq_complete"), std::string::npos) << probes;
}

TEST_F(Bio, BioperpidCountsDirectWritesUnderTheirPid) {
  uint64_t before = bytes_of(getpid());
  ASSERT_EQ(direct_writes(kFile, kBlocks), "");
  uint64_t after = bytes_of(getpid());
  EXPECT_GE(after - before, kBytes) << "before " << before << " after " << after;
  // the instance names the disk: "vda::000123"
  bool named = false;
  for (auto& [inst, bytes] : pcp_.numbers("bcc.proc.io.total"))
    named = named || inst.find("::" + padded_pid(getpid())) != std::string::npos;
  EXPECT_TRUE(named);
}

TEST_F(Bio, BioperpidDropsExitedProcesses) {
  Writer writer(kFile + ".child", kBlocks);
  ASSERT_GT(writer.pid, 0);
  pid_t pid = writer.pid;
  wait_until([&] { return bytes_of(pid) >= kBytes; }, 5);
  ASSERT_GE(bytes_of(pid), kBytes) << "child " << pid;
  writer.finish();
  EXPECT_EQ(bytes_of(pid), 0u) << "pid " << pid << " exited but is still shown";
}

TEST_F(Bio, BiotopShowsTheWriterWithItsBytes) {
  // the writes of one pwrite(2) fall in one interval; two tries apart make
  // an interval boundary in the middle of both all but impossible
  int fd = open(kFile.c_str(), O_CREAT | O_WRONLY | O_TRUNC | O_DIRECT | O_SYNC, 0600);
  ASSERT_GE(fd, 0);
  void* buf = nullptr;
  ASSERT_EQ(posix_memalign(&buf, 4096, kBytes), 0);
  memset(buf, 'x', kBytes);
  uint64_t most = 0;
  std::string comm, direction, disk;
  uint64_t major = 0, minor = 0, io = 0;
  for (int round = 0; round < 2; round++) {
    ASSERT_EQ(pwrite(fd, buf, kBytes, 0), static_cast<ssize_t>(kBytes));
    for (int i = 0; i < 25; i++, usleep(100000)) {
      // one fetch: the table is replaced every interval
      const std::string p = "bcc.proc.io.perdev.";
      for (auto& [inst, row] : pcp_.rows({p + "pid", p + "bytes", p + "comm", p + "direction",
                                          p + "disk", p + "major", p + "minor", p + "io"})) {
        if (row[p + "pid"] != std::to_string(getpid()) || row[p + "bytes"].empty()) continue;
        uint64_t bytes = std::stoull(row[p + "bytes"]);
        if (bytes < most) continue;
        most = bytes;
        comm = row[p + "comm"];
        direction = row[p + "direction"];
        disk = row[p + "disk"];
        major = std::stoull(row[p + "major"]);
        minor = std::stoull(row[p + "minor"]);
        io = std::stoull(row[p + "io"]);
      }
    }
  }
  free(buf);
  close(fd);
  unlink(kFile.c_str());
  EXPECT_GE(most, kBytes);
  EXPECT_EQ(comm, "bio_test");
  EXPECT_EQ(direction, "W");
  EXPECT_GE(io, 1u);
  std::ifstream uevent("/sys/dev/block/" + std::to_string(major) + ":" + std::to_string(minor) +
                       "/uevent");
  std::string text((std::istreambuf_iterator<char>(uevent)), std::istreambuf_iterator<char>());
  EXPECT_FALSE(disk.empty());
  EXPECT_NE(text.find("DEVNAME=" + disk + "\n"), std::string::npos) << major << ":" << minor;
}

TEST_F(Bio, BiotopRanksBySortOption) {
  // small: 2 requests, 8 KiB; big: 32 requests, 128 KiB, in one interval
  for (int attempt = 0; attempt < 5; attempt++) {
    Writer small(kFile + ".small", 2);
    Writer big(kFile + ".big", 32);
    for (int i = 0; i < 25; i++, usleep(100000)) {
      auto by_bytes = ranking("bcc.");
      auto by_io = ranking("bcc.by_io.");
      auto rank = [](const std::map<int, uint64_t>& r, pid_t pid) {
        for (auto& [index, p] : r)
          if (p == static_cast<uint64_t>(pid)) return index;
        return -1;
      };
      int small_b = rank(by_bytes, small.pid), big_b = rank(by_bytes, big.pid);
      int small_i = rank(by_io, small.pid), big_i = rank(by_io, big.pid);
      if (small_b < 0 || big_b < 0 || small_i < 0 || big_i < 0) continue;
      EXPECT_LT(big_b, small_b) << "-bytes: the bigger writer first";
      EXPECT_LT(small_i, big_i) << "io: the fewer requests first";
      return;
    }
  }
  FAIL() << "never saw both writers in one interval";
}

TEST_F(Bio, MetadataMatchesThePythonAgent) {
  EXPECT_EQ(pminfo_pmid("bcc.proc.io.total"), "149.1.0");
  EXPECT_EQ(pminfo_pmid("bcc.proc.io.perdev.duration"), "149.10.8");
  MetricInfo total = pcp_.describe("bcc.proc.io.total");
  EXPECT_EQ(total.semantics, PM_SEM_COUNTER);
  EXPECT_EQ(total.units, "byte");
  MetricInfo duration = pcp_.describe("bcc.proc.io.perdev.duration");
  EXPECT_EQ(duration.type, PM_TYPE_U32);
  EXPECT_EQ(duration.units, "microsec");
  EXPECT_EQ(pcp_.describe("bcc.proc.io.perdev.bytes").type, PM_TYPE_U64);
}

}  // namespace
}  // namespace bcc::test
