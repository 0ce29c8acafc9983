// sysfork: new processes and threads, as BCC's sysfork tool counts them.
#include "module/metrics.h"
#include "module/registry.h"

namespace {

bcc::ModuleSpec sysfork() {
  using namespace bcc;
  return ModuleSpec("sysfork")
      .summary("process and thread creation")
      .program("sysfork.bpf")
      .probe("fork", {tracepoint("sched:sched_process_fork"), kprobe("sched_fork")})
      .metric(array_total(
          "proc.sysfork", "forks", count_units(), "fork rate",
          "Tasks created by fork(2), vfork(2) and clone(2), processes and threads alike, "
          "since the module started. A counter: its rate is the fork rate."));
}

const bool registered = bcc::register_module("sysfork", sysfork);

}  // namespace
