// biolatency: block device I/O latency, as BCC's biolatency tool measures it.
#include "module/metrics.h"
#include "module/registry.h"

namespace {

bcc::ModuleSpec biolatency() {
  using namespace bcc;
  return ModuleSpec("biolatency")
      .summary("block device I/O latency")
      .program("biolatency.bpf")
      .option(flag_option("queued", "include the time requests wait in the OS queue "
                                    "(measure from insertion instead of issue)"))
      .probe_if("queued", "insert",
                {tracepoint("block:block_rq_insert"), kprobe("blk_mq_insert_request")})
      .probe_unless("queued", "issue",
                    {tracepoint("block:block_rq_issue"), kprobe("blk_mq_start_request")})
      .probe("done", {raw_tracepoint("block_rq_complete"), tracepoint("block:block_rq_complete"),
                      kprobe("__blk_mq_end_request")})
      .metric(log2_histogram(
          "disk.all.latency", "dist", PM_TIME_USEC, "block io latency distribution",
          "Time block I/O requests took, from issue to the device (or from insertion into "
          "the queue with the 'queued' option) to completion, in microseconds, all disks "
          "together. A log2 histogram: one counter per bucket, the instance naming its "
          "bounds (\"0-1\", \"2-3\", ...)."));
}

const bool registered = bcc::register_module("biolatency", biolatency);

}  // namespace
