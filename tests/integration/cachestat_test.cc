// cachestat through the real pmcd: reading a cold file raises misses;
// reading it again raises hits where the kernel lets accesses be counted
// (kprobes), and otherwise hits and total have no values and the status
// says why.
#include <fcntl.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "support/agent_suite.h"
#include "support/pcp_tools.h"

namespace bcc::test {
namespace {

const char* kConf = R"([pmda]
modules = cachestat
module_failure_fatal = False

[cachestat]
module = cachestat
cluster = 30
)";

constexpr size_t kFilePages = 2048;  // 8 MiB
const char* kFile = "/var/tmp/pmdabcc-cachestat-test";

// Writes the file and makes sure it is on disk, so that its cached pages are clean.
bool make_file() {
  int fd = open(kFile, O_CREAT | O_WRONLY | O_TRUNC, 0600);
  if (fd < 0) return false;
  std::string block(4096, 'c');
  bool ok = true;
  for (size_t i = 0; i < kFilePages && ok; i++) ok = write(fd, block.data(), block.size()) == 4096;
  ok = ok && fsync(fd) == 0;
  close(fd);
  return ok;
}

// Drops the file's pages from the page cache.
void make_cold() {
  int fd = open(kFile, O_RDONLY);
  if (fd < 0) return;
  posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
  close(fd);
}

void read_file() {
  int fd = open(kFile, O_RDONLY);
  if (fd < 0) return;
  std::vector<char> buf(1 << 16);
  while (read(fd, buf.data(), buf.size()) > 0) {
  }
  close(fd);
}

class Cachestat : public AgentSuite {
 protected:
  static void SetUpTestSuite() {
    install_for_suite(kConf);
    if (unavailable_.empty()) file_ok_ = make_file();
  }
  static void TearDownTestSuite() {
    unlink(kFile);
    remove_for_suite();
  }
  void check_fixtures() override { ASSERT_TRUE(file_ok_) << "cannot write " << kFile; }
  // The value of a singular metric.
  uint64_t value(const std::string& metric) { return AgentSuite::value(metric, ""); }
  bool has_value(const std::string& metric) { return !pcp_.numbers(metric).empty(); }
  // Why hits cannot be measured here, or "".
  std::string hits_unmeasurable() {
    if (pcp_.strings("bcc.pmda.module.state")["cachestat"] == "active") return "";
    return "page cache accesses cannot be counted on this kernel: " +
           pcp_.strings("bcc.pmda.module.reason")["cachestat"];
  }

  static inline bool file_ok_ = false;
};

TEST_F(Cachestat, ReadingAColdFileRaisesMisses) {
  make_cold();
  uint64_t before = value("bcc.mem.vmstat.misses");
  read_file();
  uint64_t after = value("bcc.mem.vmstat.misses");
  // other work on the machine may dirty pages meanwhile, which the formula
  // subtracts: half of the file's pages is a safe lower bound
  EXPECT_GE(after - before, kFilePages / 2) << "before " << before << " after " << after;
}

TEST_F(Cachestat, ReadingItAgainRaisesHits) {
  std::string why = hits_unmeasurable();
  if (!why.empty()) GTEST_SKIP() << why;
  read_file();  // warm
  uint64_t before = value("bcc.mem.vmstat.hits");
  read_file();
  uint64_t after = value("bcc.mem.vmstat.hits");
  EXPECT_GE(after - before, kFilePages / 2) << "before " << before << " after " << after;
}

TEST_F(Cachestat, WithoutAccessProbesHitsAndTotalHaveNoValuesAndStatusSaysWhy) {
  if (hits_unmeasurable().empty()) GTEST_SKIP() << "this kernel counts accesses (kprobes)";
  EXPECT_EQ(pcp_.strings("bcc.pmda.module.state")["cachestat"], "partial");
  std::string reason = pcp_.strings("bcc.pmda.module.reason")["cachestat"];
  EXPECT_NE(reason.find("running without probe 'accessed'"), std::string::npos) << reason;
  EXPECT_NE(reason.find("kprobe folio_mark_accessed: this kernel has no kprobes"),
            std::string::npos)
      << reason;
  EXPECT_NE(reason.find("bcc.mem.vmstat.hits"), std::string::npos) << reason;
  EXPECT_FALSE(has_value("bcc.mem.vmstat.hits"));
  EXPECT_FALSE(has_value("bcc.mem.vmstat.total"));
  EXPECT_TRUE(has_value("bcc.mem.vmstat.misses"));
  EXPECT_NE(agent_->log().find("running without probe 'accessed'"), std::string::npos);
}

TEST_F(Cachestat, HelpSaysWhichProbesThisKernelUses) {
  std::string probes = pcp_.strings("bcc.pmda.module.probes")["cachestat"];
  EXPECT_NE(probes.find("added=tracepoint filemap:mm_filemap_add_to_page_cache"),
            std::string::npos)
      << probes;
  std::string help = run("pminfo -T bcc.mem.vmstat.misses");
  EXPECT_NE(help.find("Probes on this kernel: "), std::string::npos) << help;
  EXPECT_NE(help.find(probes), std::string::npos) << help;
}

TEST_F(Cachestat, BuffersAndCachedComeFromMeminfo) {
  EXPECT_GT(value("bcc.mem.vmstat.cached"), 0u);
  EXPECT_TRUE(has_value("bcc.mem.vmstat.buffers"));
  EXPECT_EQ(pminfo_pmid("bcc.mem.vmstat.cached"), "149.30.5");
  EXPECT_NE(run("pminfo -d bcc.mem.vmstat.cached").find("Units: Mbyte"), std::string::npos);
}

}  // namespace
}  // namespace bcc::test
