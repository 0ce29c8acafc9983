// Which file a path names: the device and inode behind it. A uprobe stays
// on the inode it was attached to, so a library replaced by a new file
// (a package upgrade writes the new file and renames it over the old one)
// leaves it on a file that new processes no longer map.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

namespace bcc {

struct FileIdentity {
  dev_t device = 0;
  ino_t inode = 0;
  bool operator==(const FileIdentity& o) const { return device == o.device && inode == o.inode; }
  bool operator!=(const FileIdentity& o) const { return !(*this == o); }
};

// The file `path` names now (symbolic links followed); nullopt when none.
std::optional<FileIdentity> file_identity(const std::string& path);

}  // namespace bcc
