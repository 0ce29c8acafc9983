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

TEST(BlockDevices, FindDiskByNameRefusesPartitionsAndUnknownNames) {
  namespace fs = std::filesystem;
  fs::path root = fs::temp_directory_path() / ("disk-numbers-" + std::to_string(getpid()));
  fs::create_directories(root / "vda");
  fs::create_directories(root / "vda1");
  std::ofstream(root / "vda" / "dev") << "253:0\n";
  std::ofstream(root / "vda1" / "dev") << "253:1\n";
  std::ofstream(root / "vda1" / "partition") << "1\n";
  DiskNumber vda = find_disk("vda", root.string());
  EXPECT_EQ(vda.error, "");
  EXPECT_EQ(vda.major, 253u);
  EXPECT_EQ(vda.minor, 0u);
  EXPECT_EQ(vda.kernel_dev(), 253u << 20);
  EXPECT_NE(find_disk("vda1", root.string()).error.find("partition"), std::string::npos);
  EXPECT_NE(find_disk("sdz", root.string()).error.find("no block device 'sdz'"), std::string::npos);
  EXPECT_NE(find_disk("../vda", root.string()).error, "");
  EXPECT_NE(find_disk("", root.string()).error, "");
  fs::remove_all(root);
}

}  // namespace
