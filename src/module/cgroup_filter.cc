#include "module/cgroup_filter.h"

#include <sys/stat.h>
#include <sys/statfs.h>

#include <cerrno>
#include <cstring>

#include "config/ini.h"

namespace bcc {

namespace {

constexpr long kCgroup2Magic = 0x63677270;  // CGROUP2_SUPER_MAGIC

bool on_cgroup2(const std::string& path, struct stat& st) {
  struct statfs fs;
  return statfs(path.c_str(), &fs) == 0 && fs.f_type == kCgroup2Magic &&
         stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string parent_of(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
}

}  // namespace

CgroupFolder cgroup_folder(const std::string& given) {
  std::string path = given;
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  if (path.empty() || path[0] != '/')
    throw config::ConfigError("cgroup '" + given + "': not an absolute path");
  struct stat st;
  if (!on_cgroup2(path, st)) {
    std::string why = stat(path.c_str(), &st) != 0 ? std::strerror(errno)
                      : !S_ISDIR(st.st_mode)
                          ? "not a folder"
                          : "not a cgroup v2 folder (a cgroup2 file system: "
                            "/sys/fs/cgroup, or /sys/fs/cgroup/unified on hybrid systems)";
    throw config::ConfigError("cgroup '" + given + "': " + why);
  }
  CgroupFolder folder;
  folder.id = st.st_ino;
  // the depth: parents on the same cgroup2 mount, up to its root
  for (std::string below = path, up = parent_of(path); up != below;
       below = up, up = parent_of(up)) {
    struct stat parent;
    if (!on_cgroup2(up, parent) || parent.st_dev != st.st_dev) break;
    folder.level++;
  }
  return folder;
}

std::vector<std::string> cgroup_defines(const CgroupFolder& folder) {
  return {"CGROUP_ID=" + std::to_string(folder.id) + "ULL",
          "CGROUP_LEVEL=" + std::to_string(folder.level)};
}

}  // namespace bcc
