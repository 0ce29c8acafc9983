// find_cgroup: a cgroup v2 folder's id and level, as BPF programs see them.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "system/cgroup_paths.h"

using namespace bcc;

namespace {

// Where the cgroup v2 hierarchy is mounted here, "" when it is not.
std::string cgroup2_mount() {
  std::ifstream mounts("/proc/self/mounts");
  for (std::string line; std::getline(mounts, line);) {
    std::istringstream fields(line);
    std::string source, target, type;
    fields >> source >> target >> type;
    if (type == "cgroup2") return target;
  }
  return "";
}

TEST(CgroupFolder, NotACgroupFolder) {
  EXPECT_NE(find_cgroup("/tmp").error.find("'/tmp' is not a cgroup v2 folder"),
            std::string::npos);
  EXPECT_NE(find_cgroup("/no/such/folder").error, "");
}

TEST(CgroupFolder, RootIsLevelZeroAndChildrenOneDeeper) {
  std::string root = cgroup2_mount();
  if (root.empty()) GTEST_SKIP() << "no cgroup v2 hierarchy mounted here";
  CgroupFolder top = find_cgroup(root);
  ASSERT_EQ(top.error, "");
  EXPECT_EQ(top.level, 0);
  struct stat st;
  ASSERT_EQ(stat(root.c_str(), &st), 0);
  EXPECT_EQ(top.id, st.st_ino);
  for (const auto& entry : std::filesystem::directory_iterator(root)) {
    if (!entry.is_directory()) continue;
    CgroupFolder child = find_cgroup(entry.path().string() + "/");
    EXPECT_EQ(child.error, "") << entry.path();
    EXPECT_EQ(child.level, 1) << entry.path();
    break;
  }
}

}  // namespace
