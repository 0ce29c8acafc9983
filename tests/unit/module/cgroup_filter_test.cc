// The cgroup option's folder: its id and depth on a cgroup v2 file system,
// and the errors a wrong path gives.
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
  CgroupFolder folder = cgroup_folder(root + "/");
  EXPECT_EQ(folder.id, st.st_ino);
  EXPECT_EQ(folder.level, 0);
  EXPECT_EQ(cgroup_defines(folder),
            (std::vector<std::string>{"CGROUP_ID=" + std::to_string(st.st_ino) + "ULL",
                                      "CGROUP_LEVEL=0"}));
}

TEST(CgroupFilter, DefinesCarryIdAndLevel) {
  EXPECT_EQ(cgroup_defines({12345, 3}),
            (std::vector<std::string>{"CGROUP_ID=12345ULL", "CGROUP_LEVEL=3"}));
}

TEST(CgroupFilter, RefusesWhatIsNotACgroup2Folder) {
  EXPECT_THROW(cgroup_folder("relative/path"), config::ConfigError);
  EXPECT_THROW(cgroup_folder("/no/such/folder"), config::ConfigError);
  EXPECT_THROW(cgroup_folder("/tmp"), config::ConfigError);
  try {
    cgroup_folder("/tmp");
  } catch (const config::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("not a cgroup v2 folder"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace bcc
