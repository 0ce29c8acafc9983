// What the running kernel offers: tracefs, tracepoints, kprobes, headers.
#pragma once

#include <string>
#include <vector>

#include "bpf/probe.h"

namespace bcc {

// The mounted tracefs ("/sys/kernel/tracing" or the debugfs one), or "".
std::string tracefs_dir();

class RunningKernel : public KernelProbes {
 public:
  RunningKernel();
  std::string unavailable(const ProbeAlternative& alt) const override;

 private:
  std::string tracefs_;
  bool kprobes_ = false;
};

// Every tracepoint of the running kernel, "category:event", sorted.
std::vector<std::string> available_tracepoints();

// A log line about the kernel headers libbcc compiles against, or "" when
// they match the running kernel.
std::string kernel_headers_problem();

}  // namespace bcc
