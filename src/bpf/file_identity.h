// Which file a path names, as last written: the device and inode behind
// it, its size and its modification time (not its change time, which moves
// when the file is only unlinked or renamed over: still the same content). A uprobe stays on
// the inode it was attached to, at offsets read from the file then: a
// library replaced by a new file (a package upgrade writes the new file and
// renames it over the old one) leaves it on a file that new processes no
// longer map, and one overwritten in place (same inode) leaves it at
// offsets that may no longer be the function's.
#pragma once

#include <sys/types.h>
#include <time.h>

#include <optional>
#include <string>

namespace bcc {

struct FileIdentity {
  dev_t device = 0;
  ino_t inode = 0;
  off_t size = 0;
  struct timespec modified {};
  bool operator==(const FileIdentity& o) const {
    return device == o.device && inode == o.inode && size == o.size &&
           modified.tv_sec == o.modified.tv_sec && modified.tv_nsec == o.modified.tv_nsec;
  }
  bool operator!=(const FileIdentity& o) const { return !(*this == o); }
};

// The file `path` names now (symbolic links followed); nullopt when none.
std::optional<FileIdentity> file_identity(const std::string& path);

}  // namespace bcc
