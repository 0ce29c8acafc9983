#include "config/trusted_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>

namespace bcc::config {

namespace {

std::string check(const std::string& path, const char* what, bool folder) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return "";  // a missing file is reported by its reader
  if (st.st_uid != 0)
    return path + ": " + what + " is owned by uid " + std::to_string(st.st_uid) +
           ", not root: refusing to load it (chown root " + path + ")";
  // in a sticky folder (/tmp, /var/tmp) others cannot replace root's files
  bool sticky = folder && (st.st_mode & S_ISVTX);
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !sticky) {
    char mode[8];
    snprintf(mode, sizeof(mode), "%04o", st.st_mode & 07777);
    return path + ": " + what + " is writable by group or others (mode " + mode +
           "): refusing to load it (chmod go-w " + path + ")";
  }
  return "";
}

}  // namespace

std::string untrusted_reason(const std::string& path) {
  if (geteuid() != 0) return "";
  std::string why = check(path, "file", false);
  if (!why.empty()) return why;
  size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  return check(dir, "its folder", true);
}

}  // namespace bcc::config
