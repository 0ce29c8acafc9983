// A path's file identity, and how replacing the file changes it.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/stat.h>
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
  EXPECT_EQ(file_identity(lib), first);
  EXPECT_FALSE(file_identity(std::string(dir) + "/absent.so").has_value());
  std::remove(lib.c_str());
  EXPECT_FALSE(file_identity(lib).has_value());
  rmdir(dir);
}

// Overwritten in place (same inode, as `cp` over it writes): the offsets a
// uprobe was placed at may no longer be the function's.
TEST(FileIdentity, RewrittenInPlaceIsAnotherVersion) {
  char dir[] = "/tmp/file-identity-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string lib = std::string(dir) + "/libx.so";
  std::ofstream(lib) << "version 1";
  auto before = file_identity(lib);
  struct stat st {};
  ASSERT_EQ(stat(lib.c_str(), &st), 0);
  ino_t inode = st.st_ino;
  // same size, and a later modification time whatever the clock's granularity
  struct timespec later[2] = {st.st_atim, st.st_mtim};
  later[1].tv_sec += 1;
  std::ofstream(lib, std::ios::in | std::ios::out) << "version 2";
  ASSERT_EQ(utimensat(AT_FDCWD, lib.c_str(), later, 0), 0);
  ASSERT_EQ(stat(lib.c_str(), &st), 0);
  ASSERT_EQ(st.st_ino, inode);
  auto after = file_identity(lib);
  ASSERT_TRUE(before && after);
  EXPECT_NE(*after, *before);
  std::remove(lib.c_str());
  rmdir(dir);
}

// A file renamed over (or unlinked) keeps its identity for whoever still
// has it: its change time moves, its content does not.
TEST(FileIdentity, AFileRenamedOverIsStillItself) {
  char dir[] = "/tmp/file-identity-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string lib = std::string(dir) + "/libx.so", next = lib + ".new", held = lib + ".held";
  std::ofstream(lib) << "version 1";
  ASSERT_EQ(link(lib.c_str(), held.c_str()), 0);  // stands for a process's mapping
  auto before = file_identity(held);
  usleep(20000);
  std::ofstream(next) << "version 2";
  ASSERT_EQ(std::rename(next.c_str(), lib.c_str()), 0);
  EXPECT_EQ(file_identity(held), before);
  std::remove(lib.c_str());
  std::remove(held.c_str());
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
