#include "bpf/file_identity.h"

#include <sys/stat.h>

namespace bcc {

std::optional<FileIdentity> file_identity(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return std::nullopt;
  return FileIdentity{st.st_dev, st.st_ino, st.st_size, st.st_mtim};
}

}  // namespace bcc
