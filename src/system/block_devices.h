// Block device names ("vda", "loop3") from device numbers, as the block
// tracepoints give them.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace bcc {

// The kernel's internal dev_t (the block tracepoints' `dev` field) keeps
// the minor number in its low 20 bits.
inline unsigned kernel_dev_major(uint64_t dev) { return static_cast<unsigned>(dev >> 20); }
inline unsigned kernel_dev_minor(uint64_t dev) { return static_cast<unsigned>(dev & 0xfffff); }

// Looks names up in sysfs (/sys/dev/block/MAJ:MIN/uevent, DEVNAME) and
// remembers them. Thread-safe.
// A whole disk named as in /dev ("vda"), as its number: the kernel's dev_t
// (what the block tracepoints report) of /sys/class/block/NAME/dev; or why
// it is not one (unknown, a partition).
struct DiskNumber {
  unsigned major = 0, minor = 0;
  std::string error;  // "" when found
  uint64_t kernel_dev() const { return (uint64_t{major} << 20) | minor; }
};
DiskNumber find_disk(const std::string& name, const std::string& sysfs_class_block =
                                                  "/sys/class/block");

class DiskNames {
 public:
  explicit DiskNames(std::string sysfs_dev_block = "/sys/dev/block");
  // "" for a device sysfs does not know (asked again next time: it may be
  // hot-plugged).
  std::string name(unsigned major, unsigned minor);

 private:
  std::string root_;
  std::mutex lock_;
  std::map<std::pair<unsigned, unsigned>, std::string> known_;
};

}  // namespace bcc
