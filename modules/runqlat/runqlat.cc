// runqlat: run queue (scheduler) latency, as BCC's runqlat tool measures it.
#include "module/metrics.h"
#include "module/registry.h"

namespace {

bcc::ModuleSpec runqlat() {
  using namespace bcc;
  return ModuleSpec("runqlat")
      .summary("run queue (scheduler) latency")
      .program("runqlat.bpf")
      .option(text_option("process", "only tasks of these processes: comma list of names or "
                                     "pids, or regular expressions on the command line"))
      .process_filter()
      .probe("wakeup", {tracepoint("sched:sched_wakeup"), kprobe("ttwu_do_wakeup")})
      .probe("wakeup_new", {tracepoint("sched:sched_wakeup_new"), kprobe("wake_up_new_task")})
      .probe("switch", {tracepoint("sched:sched_switch"), kprobe("finish_task_switch")})
      // with a process filter: follow the threads the followed processes start
      .probe_if("process", "fork", {tracepoint("sched:sched_process_fork")})
      .probe_if("process", "exit", {tracepoint("sched:sched_process_exit")})
      .metric(log2_histogram(
          "runq.latency", "dist", PM_TIME_USEC, "run queue (scheduler) latency distribution",
          "Time tasks spent runnable, waiting for a CPU, from wakeup (or preemption) until "
          "they ran, in microseconds. A log2 histogram: one counter per bucket, the instance "
          "naming its bounds (\"0-1\", \"2-3\", \"4-7\", ...)."));
}

const bool registered = bcc::register_module("runqlat", runqlat);

}  // namespace
