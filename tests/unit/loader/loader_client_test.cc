// Running a loader, with stand-ins for it: whatever happens to the loader
// process comes back as a failure naming it, never as a hang or a crash of
// ours.
#include "loader/loader_client.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

namespace bcc {
namespace {

// A stand-in loader: a shell script, named by PMDABCC_LOADER for the test.
class FakeLoader {
 public:
  explicit FakeLoader(const std::string& body) {
    char dir[] = "/tmp/pmdabcc-fake-loader-XXXXXX";
    dir_ = mkdtemp(dir);
    path_ = dir_ + "/pmdabcc-loader";
    std::ofstream(path_) << "#!/bin/sh\n" << body << "\n";
    chmod(path_.c_str(), 0755);
    setenv("PMDABCC_LOADER", path_.c_str(), 1);
  }
  ~FakeLoader() {
    unsetenv("PMDABCC_LOADER");
    unlink(path_.c_str());
    rmdir(dir_.c_str());
  }

 private:
  std::string dir_, path_;
};

loader::BuildRequest request() {
  loader::BuildRequest r;
  r.name = "name with spaces\nand a newline";
  r.source = "int x;";
  return r;
}

TEST(LoaderClient, CrashIsNamedBySignal) {
  FakeLoader fake("echo 'last words' >&2; kill -SEGV $$");
  LoaderRun run = run_loader(request(), std::chrono::seconds(10));
  EXPECT_NE(run.failure.find("signal 11"), std::string::npos) << run.failure;
  EXPECT_TRUE(run.fds.empty());
  EXPECT_EQ(run.stderr_text, "last words\n");
}

TEST(LoaderClient, ExitWithoutReportIsNamed) {
  FakeLoader fake("exit 3");
  LoaderRun run = run_loader(request(), std::chrono::seconds(10));
  EXPECT_NE(run.failure.find("status 3"), std::string::npos) << run.failure;
}

TEST(LoaderClient, HungLoaderIsKilledAtTheDeadline) {
  FakeLoader fake("exec sleep 60");
  auto begin = std::chrono::steady_clock::now();
  LoaderRun run = run_loader(request(), std::chrono::seconds(1));
  auto took = std::chrono::steady_clock::now() - begin;
  EXPECT_NE(run.failure.find("stopped after 1s"), std::string::npos) << run.failure;
  EXPECT_LT(took, std::chrono::seconds(30));  // it returned: the loader was killed
}

TEST(LoaderClient, LoaderSeesTheRequestAndNoStandardInput) {
  // the request on descriptor 3, standard input empty: the script copies
  // both to its standard error and exits
  FakeLoader fake("cat <&3 >&2; echo '|' >&2; cat >&2; exit 0");
  LoaderRun run = run_loader(request(), std::chrono::seconds(10));
  ASSERT_NE(run.stderr_text.find('|'), std::string::npos) << run.stderr_text;
  std::string request_text = run.stderr_text.substr(0, run.stderr_text.find('|'));
  EXPECT_EQ(loader::request_from_json(request_text).name, request().name);
  EXPECT_EQ(run.stderr_text.substr(run.stderr_text.find('|')), "|\n");
}

TEST(LoaderClient, MissingLoaderIsNamed) {
  setenv("PMDABCC_LOADER", "/nonexistent/pmdabcc-loader", 1);
  LoaderRun run = run_loader(request(), std::chrono::seconds(5));
  unsetenv("PMDABCC_LOADER");
  EXPECT_FALSE(run.failure.empty());
}

}  // namespace
}  // namespace bcc
