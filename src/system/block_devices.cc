#include "system/block_devices.h"

#include <sys/stat.h>

#include <fstream>

namespace bcc {

DiskNumber find_disk(const std::string& name, const std::string& sysfs_class_block) {
  DiskNumber d;
  if (name.empty() || name.find('/') != std::string::npos || name[0] == '.') {
    d.error = "'" + name + "' is not a disk name (as in /dev: vda, sda, nvme0n1)";
    return d;
  }
  const std::string dir = sysfs_class_block + "/" + name;
  struct stat st;
  if (stat((dir + "/partition").c_str(), &st) == 0) {
    d.error = "'" + name + "' is a partition; name its whole disk";
    return d;
  }
  std::ifstream dev(dir + "/dev");
  char colon = 0;
  if (!(dev >> d.major >> colon >> d.minor) || colon != ':')
    d.error = "no block device '" + name + "' in " + sysfs_class_block;
  return d;
}

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
