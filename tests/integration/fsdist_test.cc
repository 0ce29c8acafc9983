// ext4dist, xfsdist and zfsdist through the real pmcd. ext4's fsync has
// tracepoints: fsyncs on an ext4 file system the test makes on a loop
// device are counted. The other operations, and XFS and ZFS, need kprobes:
// where the kernel has none, the metrics exist without values and the
// status says which feature is missing.
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <string>

#include "support/agent_suite.h"
#include "support/kernel_features.h"
#include "support/pcp_tools.h"

namespace bcc::test {
namespace {

const char* kConf = R"([pmda]
modules = ext4dist,xfsdist,zfsdist
module_failure_fatal = False

[ext4dist]
module = fs.ext4dist
cluster = 5

[xfsdist]
module = fs.xfsdist
cluster = 6

[zfsdist]
module = fs.zfsdist
cluster = 7
)";

// An ext4 file system in an image file on a loop device, mounted; undone
// in the destructor.
class Ext4LoopMount {
 public:
  Ext4LoopMount() {
    char dir[] = "/var/tmp/pmdabcc-ext4-XXXXXX";
    if (!mkdtemp(dir)) {
      error_ = "mkdtemp failed";
      return;
    }
    base_ = dir;
    image_ = base_ + ".img";
    mount_ = base_ + "/mnt";
    int status = 0;
    std::string out = run("truncate -s 64M " + image_ + " && mkfs.ext4 -q -F " + image_ +
                              " 2>&1 && losetup -f --show " + image_,
                          &status);
    if (status != 0) {
      error_ = "making the ext4 image: " + out;
      return;
    }
    device_ = out.substr(0, out.find('\n'));
    out = run("mkdir -p " + mount_ + " && mount -t ext4 " + device_ + " " + mount_ + " 2>&1",
              &status);
    if (status != 0) error_ = "mounting " + device_ + ": " + out;
  }
  ~Ext4LoopMount() {
    if (!mount_.empty()) run("umount " + mount_ + " 2>/dev/null");
    if (!device_.empty()) run("losetup -d " + device_);
    if (!image_.empty()) unlink(image_.c_str());
    if (!base_.empty()) run("rm -rf " + base_);
  }
  const std::string& error() const { return error_; }
  const std::string& dir() const { return mount_; }

 private:
  std::string base_, image_, device_, mount_, error_;
};

class FsDist : public AgentSuite {
 protected:
  static void SetUpTestSuite() {
    install_for_suite(kConf);
    if (unavailable_.empty()) ext4_ = new Ext4LoopMount();
  }
  static void TearDownTestSuite() {
    delete ext4_;
    ext4_ = nullptr;
    remove_for_suite();
  }

  static inline Ext4LoopMount* ext4_ = nullptr;
};

TEST_F(FsDist, Ext4FsyncLatencyCountsEachFsync) {
  ASSERT_EQ(ext4_->error(), "");
  std::string probes = pcp_.strings("bcc.pmda.module.probes")["ext4dist"];
  EXPECT_NE(probes.find("fsync_entry=tracepoint ext4:ext4_sync_file_enter"), std::string::npos)
      << probes;
  uint64_t before = pcp_.total("bcc.fs.ext4.latency.fsync");
  std::string path = ext4_->dir() + "/fsync-me";
  int fd = open(path.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0600);
  ASSERT_GE(fd, 0);
  const int kFsyncs = 25;
  for (int i = 0; i < kFsyncs; i++) {
    ASSERT_EQ(write(fd, "data", 4), 4);
    ASSERT_EQ(fsync(fd), 0);
  }
  close(fd);
  uint64_t after = pcp_.total("bcc.fs.ext4.latency.fsync");
  EXPECT_GE(after - before, static_cast<uint64_t>(kFsyncs))
      << "before " << before << " after " << after;
}

TEST_F(FsDist, FourMetricsShareOneHistogramInstanceDomain) {
  for (const char* op : {"open", "read", "write", "fsync"}) {
    std::string name = std::string("bcc.fs.ext4.latency.") + op;
    std::string d = run("pminfo -d " + name);
    EXPECT_NE(d.find("InDom: 149.5"), std::string::npos) << d;
    EXPECT_NE(d.find("Semantics: counter  Units: microsec"), std::string::npos) << d;
    EXPECT_EQ(pcp_.describe(name).oneline, std::string("ext4") + op + " latency distribution");
  }
  EXPECT_EQ(pminfo_pmid("bcc.fs.ext4.latency.fsync"), "149.5.3");
  EXPECT_NE(run("pminfo -l bcc.fs.ext4.latency.fsync").find("\"statistic\":\"histogram\""),
            std::string::npos);
}

TEST_F(FsDist, Ext4OpenReadWriteWithoutKprobesHaveNoValuesAndStatusSaysWhy) {
  if (kernel_has_kprobes()) GTEST_SKIP() << "this kernel has kprobes: nothing is missing";
  EXPECT_EQ(pcp_.strings("bcc.pmda.module.state")["ext4dist"], "partial");
  std::string reason = pcp_.strings("bcc.pmda.module.reason")["ext4dist"];
  EXPECT_NE(reason.find("running without probe 'read_entry': kprobe ext4_file_read_iter: this "
                        "kernel has no kprobes"),
            std::string::npos)
      << reason;
  EXPECT_NE(reason.find("bcc.fs.ext4.latency.open"), std::string::npos) << reason;
  EXPECT_EQ(reason.find("bcc.fs.ext4.latency.fsync"), std::string::npos) << reason;
  EXPECT_TRUE(pcp_.numbers("bcc.fs.ext4.latency.read").empty());
  EXPECT_FALSE(pcp_.numbers("bcc.fs.ext4.latency.fsync").empty());
}

TEST_F(FsDist, Ext4ReadWriteLatencyWithKprobes) {
  if (!kernel_has_kprobes())
    GTEST_SKIP() << "ext4 open/read/write latency needs kprobes on ext4_file_open, "
                    "ext4_file_read_iter, ext4_file_write_iter: this kernel has no kprobes";
  ASSERT_EQ(ext4_->error(), "");
  uint64_t before = pcp_.total("bcc.fs.ext4.latency.write");
  std::string path = ext4_->dir() + "/write-me";
  int fd = open(path.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0600);
  ASSERT_GE(fd, 0);
  for (int i = 0; i < 50; i++) ASSERT_EQ(write(fd, "data", 4), 4);
  close(fd);
  EXPECT_GE(pcp_.total("bcc.fs.ext4.latency.write") - before, 50u);
}

TEST_F(FsDist, XfsAndZfsMetricsExistAndStatusNamesTheMissingFeature) {
  for (const char* fs : {"xfs", "zfs"}) {
    std::string section = std::string(fs) + "dist";
    EXPECT_TRUE(pcp_.exists(std::string("bcc.fs.") + fs + ".latency.fsync")) << fs;
    if (kernel_has_kprobes()) continue;  // then they run where the file system exists
    EXPECT_EQ(pcp_.strings("bcc.pmda.module.state")[section], "failed") << fs;
    std::string reason = pcp_.strings("bcc.pmda.module.reason")[section];
    EXPECT_NE(reason.find("no probe of this module is available on the running kernel"),
              std::string::npos)
        << reason;
    EXPECT_NE(reason.find("this kernel has no kprobes"), std::string::npos) << reason;
    EXPECT_TRUE(pcp_.numbers(std::string("bcc.fs.") + fs + ".latency.read").empty());
  }
  EXPECT_EQ(pminfo_pmid("bcc.fs.xfs.latency.open"), "149.6.0");
  EXPECT_EQ(pminfo_pmid("bcc.fs.zfs.latency.write"), "149.7.2");
}

}  // namespace
}  // namespace bcc::test
