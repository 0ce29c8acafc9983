// runqlat: run queue (scheduler) latency, as BCC's runqlat tool measures it.
#include "module/metrics.h"
#include "module/registry.h"

namespace {

bcc::ModuleSpec runqlat() {
  using namespace bcc;
  return ModuleSpec("runqlat")
      .summary("run queue (scheduler) latency")
      .program("runqlat.bpf")
      .probe("wakeup", {tracepoint("sched:sched_wakeup"), kprobe("ttwu_do_wakeup")})
      .probe("wakeup_new", {tracepoint("sched:sched_wakeup_new"), kprobe("wake_up_new_task")})
      .probe("switch", {tracepoint("sched:sched_switch"), kprobe("finish_task_switch")})
      .metric(log2_histogram(
          "runq.latency", "dist", PM_TIME_USEC, "run queue (scheduler) latency distribution",
          "Time tasks spent runnable, waiting for a CPU, from wakeup (or preemption) until "
          "they ran, in microseconds. A log2 histogram: one counter per bucket, the instance "
          "naming its bounds (\"0-1\", \"2-3\", \"4-7\", ...)."));
}

const bool registered = bcc::register_module("runqlat", runqlat);

}  // namespace
