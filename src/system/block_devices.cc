#include "system/block_devices.h"

#include <fstream>

namespace bcc {

DiskNames::DiskNames(std::string sysfs_dev_block) : root_(std::move(sysfs_dev_block)) {}

std::string DiskNames::name(unsigned major, unsigned minor) {
  std::lock_guard<std::mutex> hold(lock_);
  auto key = std::make_pair(major, minor);
  if (auto it = known_.find(key); it != known_.end()) return it->second;
  std::ifstream uevent(root_ + "/" + std::to_string(major) + ":" + std::to_string(minor) +
                       "/uevent");
  const std::string prefix = "DEVNAME=";
  for (std::string line; std::getline(uevent, line);)
    if (line.compare(0, prefix.size(), prefix) == 0)
      return known_[key] = line.substr(prefix.size());
  return "";
}

}  // namespace bcc
