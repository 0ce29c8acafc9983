#include "config/trusted_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace bcc::config {

namespace {

std::string mode_text(mode_t mode) {
  char text[8];
  snprintf(text, sizeof(text), "%04o", mode & 07777);
  return text;
}

// `shown`: how the message names it
std::string check(const struct stat& st, const std::string& shown, const char* what,
                  bool folder) {
  if (st.st_uid != 0)
    return shown + ": " + what + " is owned by uid " + std::to_string(st.st_uid) +
           ", not root: refusing to load it (chown root " + shown + ")";
  bool sticky = folder && (st.st_mode & S_ISVTX);
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !sticky)
    return shown + ": " + what + " is writable by group or others (mode " +
           mode_text(st.st_mode) + "): refusing to load it (chmod go-w " + shown + ")";
  return "";
}

// The path the descriptor really opened, symbolic links resolved.
std::string opened_path(int fd) {
  char link[64], target[4096];
  snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, target, sizeof(target) - 1);
  if (n <= 0) return "";
  return std::string(target, static_cast<size_t>(n));
}

// Every folder holding `real` (an absolute path without links), up to /.
std::string check_folders(const std::string& real, const std::string& path) {
  std::string dir = real;
  for (bool first = true; dir != "/"; first = false) {
    size_t slash = dir.rfind('/');
    if (slash == std::string::npos) return "";
    dir = slash == 0 ? "/" : dir.substr(0, slash);
    struct stat st;
    if (stat(dir.c_str(), &st) != 0)
      return path + ": cannot check its folder " + dir + ": " + std::strerror(errno);
    std::string why = check(st, dir, first ? "its folder" : "a folder above it", true);
    if (!why.empty()) return path + ": " + why;
  }
  return "";
}

// Opens `path` without blocking (a FIFO), checks the open file and its
// folders; the descriptor (or -1) through `fd_out`.
std::string open_checked(const std::string& path, int* fd_out, bool* missing) {
  *fd_out = -1;
  *missing = false;
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    if (errno == ENOENT) {
      *missing = true;
      return "";
    }
    return path + ": cannot open: " + std::strerror(errno);
  }
  struct stat st;
  std::string why;
  if (fstat(fd, &st) != 0)
    why = path + ": cannot check: " + std::strerror(errno);
  else if (!S_ISREG(st.st_mode))
    why = path + ": not a regular file: refusing to load it";
  else if (geteuid() == 0) {
    why = check(st, path, "file", false);
    if (why.empty()) {
      std::string real = opened_path(fd);
      why = real.empty() ? path + ": cannot tell where it lives" : check_folders(real, path);
    }
  }
  if (!why.empty()) {
    close(fd);
    return why;
  }
  *fd_out = fd;
  return "";
}

}  // namespace

std::string untrusted_reason(const std::string& path) {
  int fd;
  bool missing;
  std::string why = open_checked(path, &fd, &missing);
  if (fd >= 0) close(fd);
  return why;
}

TrustedText read_trusted_file(const std::string& path) {
  TrustedText out;
  int fd;
  out.error = open_checked(path, &fd, &out.missing);
  if (fd < 0) return out;
  // a regular file: O_NONBLOCK does not apply to its reads
  char buffer[65536];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof(buffer))) > 0) out.text.append(buffer, static_cast<size_t>(n));
  if (n < 0) out.error = path + ": cannot read: " + std::strerror(errno);
  close(fd);
  return out;
}

}  // namespace bcc::config
