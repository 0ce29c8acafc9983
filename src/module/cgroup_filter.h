// The `cgroup` option of event modules: only tasks in a cgroup v2 folder or
// below it. The program compares the current task's ancestor at the
// folder's depth with the folder's id:
//   bpf_get_current_ancestor_cgroup_id(FILTER_CGROUP_LEVEL) == FILTER_CGROUP_ID
// (system/cgroup_paths.h: the id is the folder's inode number, the root is
// level 0), which is what bpf_current_task_under_cgroup() answers, without
// a map the agent would have to fill with a descriptor of the folder.
#pragma once

#include <string>
#include <vector>

namespace bcc {

// -DFILTER_CGROUP_ID=... -DFILTER_CGROUP_LEVEL=... for the cgroup v2 folder
// at `path` ("/sys/fs/cgroup/app.slice"); throws config::ConfigError saying
// why when it is not one (a relative path, a cgroup v1 folder, a missing path).
std::vector<std::string> cgroup_defines(const std::string& path);

}  // namespace bcc
