#include "system/cgroup_paths.h"

#include <sys/stat.h>
#include <sys/statfs.h>

#include <chrono>
#include <filesystem>

namespace bcc {

namespace {

constexpr long kCgroup2Magic = 0x63677270;  // CGROUP2_SUPER_MAGIC

bool is_cgroup2(const std::string& path, dev_t* dev) {
  struct statfs fs;
  struct stat st;
  if (statfs(path.c_str(), &fs) != 0 || fs.f_type != kCgroup2Magic) return false;
  if (stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return false;
  *dev = st.st_dev;
  return true;
}

}  // namespace

CgroupFolder find_cgroup(const std::string& path) {
  namespace fs = std::filesystem;
  CgroupFolder c;
  std::error_code ec;
  fs::path folder = fs::canonical(path, ec);
  dev_t dev = 0;
  if (ec || !is_cgroup2(folder.string(), &dev)) {
    c.error = "'" + path + "' is not a cgroup v2 folder (/sys/fs/cgroup/...)";
    return c;
  }
  struct stat st;
  stat(folder.c_str(), &st);
  c.id = st.st_ino;
  // up to the root of the hierarchy: the last folder of the same mount
  for (fs::path up = folder.parent_path(); up != folder; folder = up, up = up.parent_path()) {
    dev_t parent = 0;
    if (!is_cgroup2(up.string(), &parent) || parent != dev) break;
    c.level++;
  }
  return c;
}

CgroupPaths::CgroupPaths(std::string root) : root_(std::move(root)) {}

std::string CgroupPaths::path(uint64_t id) {
  std::lock_guard<std::mutex> hold(lock_);
  auto it = known_.find(id);
  if (it != known_.end()) return it->second;
  int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::steady_clock::now().time_since_epoch())
                    .count();
  // cgroups come and go: an unknown id walks the tree again, but not at
  // every fetch of every key
  if (last_scan_ms_ >= 0 && now - last_scan_ms_ < 1000) return "";
  last_scan_ms_ = now;
  rescan();
  it = known_.find(id);
  return it == known_.end() ? "" : it->second;
}

void CgroupPaths::rescan() {
  namespace fs = std::filesystem;
  known_.clear();
  struct stat st;
  if (stat(root_.c_str(), &st) != 0) return;
  known_[st.st_ino] = "/";
  std::error_code error;
  fs::recursive_directory_iterator it(root_, fs::directory_options::skip_permission_denied, error),
      end;
  for (; !error && it != end; it.increment(error)) {
    if (!it->is_directory(error) || it->is_symlink(error)) {
      error.clear();
      continue;
    }
    if (stat(it->path().c_str(), &st) == 0)
      known_[st.st_ino] = it->path().string().substr(root_.size());
  }
}

}  // namespace bcc
