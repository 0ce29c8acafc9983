// The loader's own standard error, caught while libbcc compiles and loads:
// clang's messages and the verifier's log go there, and belong in the
// manifest. Header-only (the loader's two source files are fixed by the
// build).
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <string>

namespace bcc::loader {

class StderrCapture {
 public:
  StderrCapture() {
    fflush(stderr);
    saved_ = dup(STDERR_FILENO);
    memfd_ = memfd_create("pmdabcc-loader-stderr", MFD_CLOEXEC);
    if (saved_ < 0 || memfd_ < 0 || dup2(memfd_, STDERR_FILENO) < 0) restore();
  }
  ~StderrCapture() { finish(); }
  StderrCapture(const StderrCapture&) = delete;
  StderrCapture& operator=(const StderrCapture&) = delete;

  // Puts standard error back and returns what was written meanwhile.
  std::string finish() {
    if (memfd_ < 0) return "";
    fflush(stderr);
    restore();
    std::string text;
    off_t size = lseek(memfd_, 0, SEEK_END);
    text.resize(size > 0 ? static_cast<size_t>(size) : 0);
    ssize_t n = pread(memfd_, text.data(), text.size(), 0);
    text.resize(n > 0 ? static_cast<size_t>(n) : 0);
    close(memfd_);
    memfd_ = -1;
    return text;
  }

 private:
  void restore() {
    if (saved_ >= 0) {
      dup2(saved_, STDERR_FILENO);
      close(saved_);
      saved_ = -1;
    }
  }
  int saved_ = -1;
  int memfd_ = -1;
};

}  // namespace bcc::loader
