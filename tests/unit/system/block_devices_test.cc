// Block devices: the kernel's dev_t and the disk names from sysfs.
#include "system/block_devices.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

using namespace bcc;

namespace {

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
