// What the running kernel offers: tracefs, tracepoints, kprobes (headers:
// bpf/kernel_headers.h).
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

}  // namespace bcc
