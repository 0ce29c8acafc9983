// The running kernel's headers moved out of libbcc's sight for a test
// (/lib/modules/$(uname -r)/{build,source} renamed NAME.pmdabcc-btf-test),
// as on a machine where no linux-headers package was ever installed.
//
// They are put back by the destructor, at exit, and on the signals that end
// a test run; a run killed harder (SIGKILL, a ctest timeout) leaves them
// aside, and the next integration test puts them back when it starts
// (InstalledAgent's constructor calls put_back_kernel_headers()).
#pragma once

#include <string>

namespace bcc::test {

// /lib/modules/$(uname -r)
std::string kernel_modules_dir();

// Puts back what a run left aside. Headers linked there again meanwhile are
// kept (the same link left aside is dropped; a different one is left for a
// person to look at, and said so on stderr).
void put_back_kernel_headers();

class KernelHeadersAside {
 public:
  KernelHeadersAside() = default;
  ~KernelHeadersAside();
  KernelHeadersAside(const KernelHeadersAside&) = delete;
  KernelHeadersAside& operator=(const KernelHeadersAside&) = delete;
  // "" when moved (or there was nothing to move), else why not.
  std::string move();
  bool moved() const { return moved_; }

 private:
  bool moved_ = false;
};

// Integration tests install into the one pmcd and change the machine: one
// run at a time holds /run/lock/pmdabcc-integration.lock (run-tests.sh
// takes it around ctest). "" when a process this one descends from holds
// it; else it is taken now (waiting for whoever holds it) and held until
// this process exits, and what was done is returned, to be printed.
std::string hold_integration_lock();

}  // namespace bcc::test
