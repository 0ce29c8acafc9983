#include <gtest/gtest.h>

#include <cerrno>
#include <fstream>
#include <filesystem>

#include "system/block_devices.h"
#include "system/errno_names.h"

using namespace bcc;

namespace {

TEST(ErrnoNames, NamesAndNumbersBothWays) {
  EXPECT_EQ(parse_errno("ENOENT"), ENOENT);
  EXPECT_EQ(parse_errno("EWOULDBLOCK"), EAGAIN);
  EXPECT_EQ(parse_errno("2"), 2);
  EXPECT_EQ(parse_errno("-13"), 13);
  EXPECT_EQ(errno_name(ENOENT), "ENOENT");
  EXPECT_EQ(errno_name(EACCES), "EACCES");
}

TEST(ErrnoNames, RejectsWhatIsNoErrno) {
  EXPECT_FALSE(parse_errno(""));
  EXPECT_FALSE(parse_errno("0"));
  EXPECT_FALSE(parse_errno("ENOSUCHTHING"));
  EXPECT_FALSE(parse_errno("2x"));
  EXPECT_FALSE(parse_errno("99999"));
  EXPECT_EQ(errno_name(0), "");
}

TEST(BlockDevices, KernelDevTSplitsTwentyBitMinor) {
  EXPECT_EQ(kernel_dev_major((253u << 20) | 16u), 253u);
  EXPECT_EQ(kernel_dev_minor((253u << 20) | 16u), 16u);
}

TEST(BlockDevices, NamesComeFromUeventAndAreCached) {
  namespace fs = std::filesystem;
  fs::path root = fs::temp_directory_path() / ("disk-names-" + std::to_string(getpid()));
  fs::create_directories(root / "253:0");
  std::ofstream(root / "253:0" / "uevent") << "MAJOR=253\nMINOR=0\nDEVNAME=vda\nDEVTYPE=disk\n";
  DiskNames names(root.string());
  EXPECT_EQ(names.name(253, 0), "vda");
  EXPECT_EQ(names.name(7, 3), "");  // unknown device
  fs::remove_all(root);
  EXPECT_EQ(names.name(253, 0), "vda");  // from the cache
}

}  // namespace
