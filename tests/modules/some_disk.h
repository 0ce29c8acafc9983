// A whole disk of the machine running the unit tests, for the block
// modules' disk names: sysfs names it, the modules must too.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

namespace bcc::testing {

struct Disk {
  std::string name;  // "" when the machine has no block device
  unsigned major = 0, minor = 0;
};

// From /sys/block/NAME/dev ("254:0"); vda if there.
inline Disk some_disk() {
  Disk found;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/sys/block", error)) {
    std::ifstream in(entry.path() / "dev");
    Disk d{entry.path().filename().string()};
    char colon = 0;
    if (!(in >> d.major >> colon >> d.minor) || colon != ':') continue;
    if (found.name.empty() || d.name == "vda") found = d;
  }
  return found;
}

}  // namespace bcc::testing
