#include "module/cgroup_filter.h"

#include "config/ini.h"
#include "system/cgroup_paths.h"

namespace bcc {

std::vector<std::string> cgroup_defines(const std::string& path) {
  if (path.empty() || path[0] != '/')
    throw config::ConfigError("cgroup '" + path + "': not an absolute path");
  CgroupFolder folder = find_cgroup(path);
  if (!folder.error.empty()) throw config::ConfigError("cgroup: " + folder.error);
  return {"FILTER_CGROUP_ID=" + std::to_string(folder.id) + "ULL",
          "FILTER_CGROUP_LEVEL=" + std::to_string(folder.level)};
}

}  // namespace bcc
