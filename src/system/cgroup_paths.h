// cgroup v2 paths by id: the id BPF programs get from
// bpf_get_current_cgroup_id() is the inode number of the cgroup's folder.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace bcc {

// A cgroup v2 folder ("/sys/fs/cgroup/system.slice") as BPF programs know
// it: its id (the folder's inode number) and its level below the root of
// the hierarchy (0 for the root), what bpf_get_current_ancestor_cgroup_id
// of that level returns for a task in it or in a cgroup below; or why the
// path is not one.
struct CgroupFolder {
  uint64_t id = 0;
  int level = 0;
  std::string error;  // "" when found
};
CgroupFolder find_cgroup(const std::string& path);

class CgroupPaths {
 public:
  explicit CgroupPaths(std::string root = "/sys/fs/cgroup");
  // "/system.slice/pmcd.service" ("/" for the root cgroup); "" when no
  // cgroup has this id (the tree is walked again, at most once a second).
  std::string path(uint64_t id);

 private:
  void rescan();
  std::string root_;
  std::mutex lock_;
  std::map<uint64_t, std::string> known_;
  int64_t last_scan_ms_ = -1;
};

}  // namespace bcc
