// bioperpid on fake maps: bcc.proc.io.total has one instance per disk and
// process, "DISK::PID" with the pid in six digits at least, from the
// `io_bytes` hash (key struct disk_pid { u64 dev; u64 pid; }, the kernel's
// dev_t: major << 20 | minor; value u64 bytes). Devices sysfs does not know,
// or major 0, are left out; an exited process keeps its totals.
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "module_harness.h"
#include "some_disk.h"

using namespace bcc;
using bcc::testing::by_instance;
using bcc::testing::Disk;
using bcc::testing::ModuleHarness;
using bcc::testing::some_disk;
using bcc::testing::Values;

namespace {

MapEntry io(unsigned major, unsigned minor, uint64_t pid, uint64_t bytes) {
  uint64_t dev = (uint64_t{major} << 20) | minor;
  std::string key(16, '\0'), value(8, '\0');
  std::memcpy(key.data(), &dev, 8);
  std::memcpy(key.data() + 8, &pid, 8);
  std::memcpy(value.data(), &bytes, 8);
  return {key, value};
}

std::string six(uint64_t pid) {
  char text[24];
  std::snprintf(text, sizeof text, "%06llu", static_cast<unsigned long long>(pid));
  return text;
}

TEST(Bioperpid, DiskAndPidOfEachEntry) {
  Disk disk = some_disk();
  if (disk.name.empty()) GTEST_SKIP() << "no block device in /sys/block";
  ModuleHarness h("bioperpid");
  uint64_t self = getpid(), init = 1;
  h.maps.contents["io_bytes"] = {io(disk.major, disk.minor, self, 4096),
                                 io(disk.major, disk.minor, init, 123456789)};
  auto samples = h.fetch()["proc.io.total"];
  EXPECT_EQ(samples.size(), 2u);
  EXPECT_EQ(by_instance(samples),
            (std::map<std::string, uint64_t>{{disk.name + "::" + six(self), 4096},
                                             {disk.name + "::000001", 123456789}}));
  EXPECT_EQ(h.maps.contents["io_bytes"].size(), 2u);  // running: left in the map
}

TEST(Bioperpid, UnknownDevicesLeftOut) {
  Disk disk = some_disk();
  if (disk.name.empty()) GTEST_SKIP() << "no block device in /sys/block";
  ModuleHarness h("bioperpid");
  uint64_t self = getpid();
  h.maps.contents["io_bytes"] = {io(0, 5, self, 1),           // major 0: no block device
                                 io(4000, 77, self, 2),       // not in sysfs
                                 io(disk.major, disk.minor, self, 3)};
  EXPECT_EQ(by_instance(h.fetch()["proc.io.total"]),
            (std::map<std::string, uint64_t>{{disk.name + "::" + six(self), 3}}));
}

TEST(Bioperpid, ExitedProcessKeepsItsTotalsOutOfTheMap) {
  Disk disk = some_disk();
  if (disk.name.empty()) GTEST_SKIP() << "no block device in /sys/block";
  ModuleHarness h("bioperpid");
  const uint64_t gone = 2000000000;  // no process has this pid
  h.maps.contents["io_bytes"] = {io(disk.major, disk.minor, gone, 512)};
  for (int fetch = 0; fetch < 2; fetch++) {
    EXPECT_EQ(by_instance(h.fetch()["proc.io.total"]),
              (std::map<std::string, uint64_t>{{disk.name + "::2000000000", 512}}))
        << "fetch " << fetch;
    EXPECT_TRUE(h.maps.contents["io_bytes"].empty());
  }
}

}  // namespace
