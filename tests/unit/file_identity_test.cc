// A path's file identity, and how replacing the file changes it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "bpf/file_identity.h"

namespace bcc {
namespace {

TEST(FileIdentity, SameFileSameIdentityAndNoneForAMissingPath) {
  char dir[] = "/tmp/file-identity-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string lib = std::string(dir) + "/libx.so";
  std::ofstream(lib) << "one";
  auto first = file_identity(lib);
  ASSERT_TRUE(first.has_value());
  std::ofstream(lib, std::ios::app) << "rewritten in place";  // same inode
  EXPECT_EQ(file_identity(lib), first);
  EXPECT_FALSE(file_identity(std::string(dir) + "/absent.so").has_value());
  std::remove(lib.c_str());
  EXPECT_FALSE(file_identity(lib).has_value());
  rmdir(dir);
}

TEST(FileIdentity, ReplacedByRenameIsAnotherFile) {
  char dir[] = "/tmp/file-identity-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string lib = std::string(dir) + "/libx.so", next = lib + ".new";
  std::ofstream(lib) << "version 1";
  auto before = file_identity(lib);
  std::ofstream(next) << "version 2";
  ASSERT_EQ(std::rename(next.c_str(), lib.c_str()), 0);  // as a package upgrade does
  auto after = file_identity(lib);
  ASSERT_TRUE(before && after);
  EXPECT_NE(*after, *before);
  std::remove(lib.c_str());
  rmdir(dir);
}

}  // namespace
}  // namespace bcc
