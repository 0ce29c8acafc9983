// The `cgroup` option of event modules: only tasks in a cgroup v2 folder or
// below it. The program compares the current task's ancestor at the
// folder's depth with the folder's id:
//   bpf_get_current_ancestor_cgroup_id(CGROUP_LEVEL) == CGROUP_ID
// (the id of a cgroup v2 folder is its inode number; the root is level 0),
// which is what bpf_current_task_under_cgroup() answers, without a map the
// agent would have to fill with a descriptor of the folder.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bcc {

struct CgroupFolder {
  uint64_t id = 0;  // inode number
  int level = 0;    // folders between it and the hierarchy's root
};

// The cgroup v2 folder at `path` ("/sys/fs/cgroup/unified/app.slice");
// throws config::ConfigError saying why when it is not one (a cgroup v1
// folder, a missing path).
CgroupFolder cgroup_folder(const std::string& path);

// -DCGROUP_ID=... -DCGROUP_LEVEL=... for the program.
std::vector<std::string> cgroup_defines(const CgroupFolder& folder);

}  // namespace bcc
