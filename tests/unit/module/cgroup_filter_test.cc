// The cgroup option's macros: the folder's id and depth on a cgroup v2 file
// system, and the errors a wrong path gives.
#include "module/cgroup_filter.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include "config/ini.h"

namespace bcc {
namespace {

// Where this machine mounts cgroup v2 ("" when nowhere we know).
std::string cgroup2_root() {
  for (const char* p : {"/sys/fs/cgroup", "/sys/fs/cgroup/unified"}) {
    struct statfs fs;
    if (statfs(p, &fs) == 0 && fs.f_type == 0x63677270) return p;
  }
  return "";
}

TEST(CgroupFilter, RootIsLevelZeroWithItsInode) {
  std::string root = cgroup2_root();
  if (root.empty()) GTEST_SKIP() << "no cgroup v2 file system mounted";
  struct stat st;
  ASSERT_EQ(stat(root.c_str(), &st), 0);
  EXPECT_EQ(cgroup_defines(root + "/"),
            (std::vector<std::string>{"FILTER_CGROUP_ID=" + std::to_string(st.st_ino) + "ULL",
                                      "FILTER_CGROUP_LEVEL=0"}));
}

TEST(CgroupFilter, RefusesWhatIsNotACgroup2Folder) {
  EXPECT_THROW(cgroup_defines("relative/path"), config::ConfigError);
  EXPECT_THROW(cgroup_defines("/no/such/folder"), config::ConfigError);
  try {
    cgroup_defines("/tmp");
    ADD_FAILURE() << "/tmp accepted";
  } catch (const config::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("not a cgroup v2 folder"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace bcc
