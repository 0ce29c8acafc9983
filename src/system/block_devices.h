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
