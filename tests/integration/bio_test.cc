// bioperpid and biotop in the real pmcd: direct I/O of a known size from a
// known pid, on the root disk, shows under that pid with at least those
// bytes; a process that exited before the agent was asked shows its exact
// bytes for the grace period, then leaves bioperpid; biotop ranks by its
// sort option.
#include <fcntl.h>
#include <linux/aio_abi.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <vector>

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
modules = bioperpid,brief,biotop,by_io
module_failure_fatal = False

[bioperpid]
module = bioperpid
cluster = 1

[brief]
module = bioperpid
cluster = 201
prefix = bcc.brief.
exited_grace = 2

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
  uint64_t bytes_of(pid_t pid, const std::string& prefix = "bcc.") {
    uint64_t total = 0;
    for (auto& [inst, bytes] : pcp_.numbers(prefix + "proc.io.total"))
      if (inst.size() > 8 && inst.substr(inst.size() - 8) == "::" + padded_pid(pid)) total += bytes;
    return total;
  }

  // Runs of the suite's programs the kernel skipped (its recursion guard),
  // what explains bytes gone missing.
  std::string skipped_programs() {
    std::string out = "bcc.pmda.prog.missed:";
    for (auto& [inst, missed] : pcp_.numbers("bcc.pmda.prog.missed"))
      out += " " + inst + "=" + std::to_string(missed);
    return out;
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
  // completions come in interrupts: a raw tracepoint is not skipped when one
  // lands while another program (the start probe's) runs on the CPU
  EXPECT_NE(probes.find("done=raw_tracepoint block_rq_complete"), std::string::npos) << probes;
  EXPECT_NE(pcp_.strings("bcc.pmda.module.probes")["bioperpid"].find(
                "done=raw_tracepoint block_rq_complete"),
            std::string::npos);
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

// `bytes` written to `path` and synced: its blocks exist, so direct
// writes over them allocate nothing. False when that failed.
bool allocated_file(const std::string& path, uint64_t bytes) {
  int fd = open(path.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0600);
  if (fd < 0) return false;
  std::string data(bytes, 'x');
  bool written = write(fd, data.data(), data.size()) == static_cast<ssize_t>(data.size());
  written = fsync(fd) == 0 && written;
  close(fd);
  return written;
}

// `pid` once reaped, if that child exited with status 0; else -1.
pid_t reaped_after_success(pid_t pid) {
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? pid : -1;
}

// A child writing `bytes` in one direct write (as dd with oflag=direct
// does) over the start of `path`, which holds that many bytes already: it
// allocates nothing, and, forked without an exec, reads no program or
// library from disk, so its only block I/O is that write. Returns its pid
// once it has exited and been reaped, -1 when it failed.
pid_t direct_write_child(const std::string& path, uint64_t bytes) {
  void* buf = nullptr;
  if (posix_memalign(&buf, 4096, bytes) != 0) return -1;
  memset(buf, 'y', bytes);
  pid_t pid = fork();
  if (pid == 0) {
    int fd = open(path.c_str(), O_WRONLY | O_DIRECT);
    _exit(fd >= 0 && pwrite(fd, buf, bytes, 0) == static_cast<ssize_t>(bytes) ? 0 : 1);
  }
  free(buf);
  return reaped_after_success(pid);
}

TEST_F(Bio, AProcessThatExitedBeforeTheFetchShowsItsExactBytes) {
  const uint64_t bytes = 8 << 20;
  const std::string path = kFile + ".exited";
  ASSERT_TRUE(allocated_file(path, bytes)) << path;
  pid_t writer = direct_write_child(path, bytes);
  unlink(path.c_str());
  ASSERT_GT(writer, 0) << "the direct write failed";
  ASSERT_FALSE(running(writer));
  // the first fetch since the writer ran: it is gone, its bytes are not
  EXPECT_EQ(bytes_of(writer), bytes) << "writer, pid " << writer << "\n" << skipped_programs();
  EXPECT_EQ(bytes_of(writer, "bcc.brief."), bytes) << "writer, pid " << writer;
  // kept for the grace period (5 minutes by default), then retired: a
  // fetch noticed the exit, the next one after 2 s finds it gone
  sleep(3);
  EXPECT_EQ(bytes_of(writer), bytes) << "writer, pid " << writer;
  EXPECT_EQ(bytes_of(writer, "bcc.brief."), 0u) << "pid " << writer << " kept past exited_grace = 2";
}

// A child that overwrites `chunks` direct 64 KiB chunks of `path` (which
// holds them already) in one io_submit(2), last chunk first: the block
// layer merges each next bio at the front of the request before it, which
// moves that request's start sector. Returns its pid once it has exited and
// been reaped, -1 when it failed.
pid_t back_to_front_child(const std::string& path, int chunks) {
  const size_t chunk = 64 * 1024;
  void* buf = nullptr;
  if (posix_memalign(&buf, 4096, chunk * chunks) != 0) return -1;
  memset(buf, 'z', chunk * chunks);
  pid_t pid = fork();
  if (pid == 0) {
    int fd = open(path.c_str(), O_WRONLY | O_DIRECT);
    aio_context_t ctx = 0;
    if (fd < 0 || syscall(SYS_io_setup, chunks, &ctx) != 0) _exit(1);
    std::vector<iocb> blocks(chunks);
    std::vector<iocb*> list;
    for (int i = 0; i < chunks; i++) {
      uint64_t offset = (chunks - 1 - i) * chunk;
      blocks[i] = iocb{};
      blocks[i].aio_fildes = fd;
      blocks[i].aio_lio_opcode = IOCB_CMD_PWRITE;
      blocks[i].aio_buf = reinterpret_cast<uint64_t>(static_cast<char*>(buf) + offset);
      blocks[i].aio_nbytes = chunk;
      blocks[i].aio_offset = offset;
      list.push_back(&blocks[i]);
    }
    if (syscall(SYS_io_submit, ctx, chunks, list.data()) != chunks) _exit(1);
    std::vector<io_event> done(chunks);
    for (long got = 0; got < chunks;) {
      long n = syscall(SYS_io_getevents, ctx, 1, chunks, done.data(), nullptr);
      if (n <= 0) _exit(1);
      for (long i = 0; i < n; i++)
        if (done[i].res != static_cast<int64_t>(chunk)) _exit(1);
      got += n;
    }
    _exit(0);
  }
  free(buf);
  return reaped_after_success(pid);
}

TEST_F(Bio, WritesMergedAtTheFrontOfARequestKeepTheirSubmitter) {
  const int chunks = 8;
  const uint64_t bytes = chunks * 64 * 1024;
  const std::string path = kFile + ".back-to-front";
  ASSERT_TRUE(allocated_file(path, bytes)) << path;
  pid_t writer = back_to_front_child(path, chunks);
  unlink(path.c_str());
  ASSERT_GT(writer, 0) << "the direct writes failed";
  EXPECT_EQ(bytes_of(writer), bytes) << "writer, pid " << writer << "\n" << skipped_programs();
  EXPECT_EQ(bytes_of(writer, "bcc.brief."), bytes) << "writer, pid " << writer;
  // biotop: the writer's row, in the interval its writes completed in
  uint64_t shown = 0;
  for (int i = 0; i < 25 && shown < bytes; i++, usleep(100000)) {
    const std::string p = "bcc.proc.io.perdev.";
    for (auto& [inst, row] : pcp_.rows({p + "pid", p + "bytes"}))
      if (row[p + "pid"] == std::to_string(writer) && !row[p + "bytes"].empty())
        shown = std::max<uint64_t>(shown, std::stoull(row[p + "bytes"]));
  }
  EXPECT_EQ(shown, bytes) << "biotop, pid " << writer;
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
