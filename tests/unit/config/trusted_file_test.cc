// Files the agent trusts (bcc.conf, programs, probe lists) must be root's
// and writable by no one else.
#include "config/trusted_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "config/ini.h"

namespace {

TEST(TrustedFile, RefusesFilesOthersCanWrite) {
  if (geteuid() != 0) GTEST_SKIP() << "ownership checks apply only when running as root";
  char dir[] = "/var/tmp/pmdabcc-trust-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  chmod(dir, 0755);
  std::string path = std::string(dir) + "/bcc.conf";
  std::ofstream(path) << "[pmda]\n";
  chmod(path.c_str(), 0644);
  EXPECT_EQ(bcc::config::untrusted_reason(path), "");
  chmod(path.c_str(), 0666);
  std::string why = bcc::config::untrusted_reason(path);
  EXPECT_NE(why.find("writable by group or others (mode 0666)"), std::string::npos) << why;
  EXPECT_NE(why.find("chmod go-w"), std::string::npos) << why;
  chmod(path.c_str(), 0644);
  chown(path.c_str(), 65534, 0);
  EXPECT_NE(bcc::config::untrusted_reason(path).find("owned by uid 65534"), std::string::npos);
  chown(path.c_str(), 0, 0);
  chmod(dir, 0777);
  EXPECT_NE(bcc::config::untrusted_reason(path).find("its folder is writable"), std::string::npos);
  chmod(dir, 01777);  // sticky, like /tmp: others cannot replace root's file
  EXPECT_EQ(bcc::config::untrusted_reason(path), "");
  chmod(dir, 0777);
  try {
    bcc::config::read_ini_file(path);
    ADD_FAILURE() << "an untrusted file was read";
  } catch (const bcc::config::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("refusing to load it"), std::string::npos);
  }
  unlink(path.c_str());
  rmdir(dir);
}

// The open file is what is judged: every folder above it, the real file
// behind a link, and a FIFO (which would block a reader) is refused at once.
TEST(TrustedFile, FoldersAboveLinksAndFifos) {
  if (geteuid() != 0) GTEST_SKIP() << "ownership checks apply only when running as root";
  char top[] = "/var/tmp/pmdabcc-trust-XXXXXX";
  ASSERT_NE(mkdtemp(top), nullptr);
  std::string open_dir = std::string(top) + "/anyone may write here";
  std::string inner = open_dir + "/inner\nfolder";
  ASSERT_EQ(mkdir(open_dir.c_str(), 0755), 0);
  chmod(open_dir.c_str(), 0777);
  ASSERT_EQ(mkdir(inner.c_str(), 0755), 0);
  std::string file = inner + "/probes.conf";
  std::ofstream(file) << "sched:sched_switch\n";
  chmod(file.c_str(), 0644);
  std::string why = bcc::config::untrusted_reason(file);
  EXPECT_NE(why.find(open_dir + ": a folder above it is writable"), std::string::npos) << why;
  EXPECT_NE(bcc::config::read_trusted_file(file).error, "");
  EXPECT_EQ(bcc::config::read_trusted_file(file).text, "");

  // a link in a trusted folder to that file: the file behind it is judged
  std::string link = std::string(top) + "/link.conf";
  ASSERT_EQ(symlink(file.c_str(), link.c_str()), 0);
  EXPECT_NE(bcc::config::untrusted_reason(link).find("a folder above it"), std::string::npos);
  chmod(open_dir.c_str(), 0755);
  EXPECT_EQ(bcc::config::untrusted_reason(link), "");
  bcc::config::TrustedText text = bcc::config::read_trusted_file(link);
  EXPECT_EQ(text.error, "");
  EXPECT_EQ(text.text, "sched:sched_switch\n");

  std::string fifo = std::string(top) + "/fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_NE(bcc::config::untrusted_reason(fifo).find("not a regular file"), std::string::npos);
  EXPECT_TRUE(bcc::config::read_trusted_file(std::string(top) + "/absent").missing);

  unlink(fifo.c_str());
  unlink(link.c_str());
  unlink(file.c_str());
  rmdir(inner.c_str());
  rmdir(open_dir.c_str());
  rmdir(top);
}

}  // namespace
