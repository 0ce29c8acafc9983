// Broken configurations (tests/config-corpus): each makes `pmdabcc --check`
// print one clear line naming the file, line, section and key with the fix,
// exit as module_failure_fatal says, and neither crash nor hang.
#include <dirent.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "support/installed_agent.h"
#include "support/pcp_client.h"

namespace bcc::test {
namespace {

std::string source_dir() { return getenv("BCC_SOURCE_DIR") ? getenv("BCC_SOURCE_DIR") : ".."; }
std::string build_dir() { return getenv("BCC_BUILD_DIR") ? getenv("BCC_BUILD_DIR") : "."; }

struct Expectation {
  int exit = 0;
  std::vector<std::string> lines;
};

Expectation read_expectation(const std::string& path) {
  Expectation e;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("# exit: ", 0) == 0) e.exit = std::stoi(line.substr(8));
    if (line.rfind("# expect: ", 0) == 0) e.lines.push_back(line.substr(10));
  }
  return e;
}

// Output lines of `pmdabcc --check` on `conf`, and its exit status. The
// programs are the build folder's flat copy, laid out as installed.
std::string check(const std::string& conf, int& status) {
  return run("timeout 120 " + build_dir() + "/pmdabcc --check -c " + conf + " -m " +
                 build_dir() + "/modules 2>&1",
             &status);
}

// Lines of the log (stderr, "[date] pmdabcc(pid) ...") holding `text`; when
// none do, lines of --check's own report on stdout.
size_t lines_containing(const std::string& output, const std::string& text) {
  std::istringstream in(output);
  std::string line;
  size_t log = 0, report = 0;
  while (std::getline(in, line)) {
    if (line.find(text) == std::string::npos) continue;
    (line.find("] pmdabcc(") != std::string::npos ? log : report)++;
  }
  return log ? log : report;
}

void expect_outcome(const std::string& conf, const Expectation& want) {
  int status = -1;
  std::string out = check(conf, status);
  EXPECT_EQ(status, want.exit) << conf << "\n" << out;  // 124 = hung, >128 = crashed
  for (const std::string& text : want.lines)
    EXPECT_EQ(lines_containing(out, text), 1u) << conf << ": expected one line with: " << text
                                               << "\n" << out;
}

class ConfigCorpus : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string unavailable = integration_unavailable();
    if (!unavailable.empty()) GTEST_SKIP() << unavailable;
  }
};

TEST_F(ConfigCorpus, EveryBrokenFileIsReportedClearly) {
  std::string dir = source_dir() + "/tests/config-corpus";
  DIR* d = opendir(dir.c_str());
  ASSERT_NE(d, nullptr) << dir;
  int files = 0;
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name.size() < 5 || name.substr(name.size() - 5) != ".conf") continue;
    std::string path = dir + "/" + name;
    std::string side = path + ".expect";
    Expectation want = read_expectation(access(side.c_str(), R_OK) == 0 ? side : path);
    ASSERT_FALSE(want.lines.empty()) << path << " has no '# expect:' line";
    expect_outcome(path, want);
    files++;
  }
  closedir(d);
  EXPECT_GE(files, 20);
}

class GeneratedFile : public ConfigCorpus {
 protected:
  void TearDown() override { unlink(path_.c_str()); }
  std::string path_ = "/var/tmp/pmdabcc-corpus-generated.conf";
};

TEST_F(GeneratedFile, BinaryFileIsRefused) {
  std::ofstream(path_, std::ios::binary) << std::string("[pmda]\0\x7f\x45LF\x01\x02", 11);
  expect_outcome(path_, {1, {"file contains NUL bytes; it is not a text ini file"}});
}

TEST_F(GeneratedFile, TenMegabyteFileIsRefused) {
  std::ofstream out(path_);
  out << "[pmda]\nmodules = runqlat\n";
  for (int i = 0; i < 10 * 1024 * 1024 / 64; i++) out << "# " << std::string(61, 'x') << "\n";
  out.close();
  expect_outcome(path_, {1, {"a configuration file is at most 1048576"}});
}

TEST_F(GeneratedFile, MissingFileIsNamed) {
  expect_outcome("/nonexistent/bcc.conf", {1, {"/nonexistent/bcc.conf: cannot open"}});
}

TEST_F(GeneratedFile, FileOthersCanWriteIsRefused) {
  std::ofstream(path_) << "[pmda]\nmodules = runqlat\n[runqlat]\nmodule = runqlat\ncluster = 4\n";
  chmod(path_.c_str(), 0666);
  expect_outcome(path_, {1, {"is writable by group or others (mode 0666): refusing to load it"}});
}

}  // namespace
}  // namespace bcc::test
