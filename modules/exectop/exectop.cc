// exectop: exec()s counted by command name.
#include "bpf/tables.h"
#include "module/metrics.h"
#include "module/registry.h"

namespace {

bcc::ModuleSpec exectop() {
  using namespace bcc;
  return ModuleSpec("exectop")
      .summary("exec() calls by command name")
      .program("exectop.bpf")
      .probe("exec", {tracepoint("sched:sched_process_exec"), kretprobe("__x64_sys_execve")})
      .metric(hash_counter(
          "proc.exec.count", "execs", count_units(), make_key_decoder({"", "comm"}), "exec",
          "Successful exec() calls since the module started, by the command name "
          "(comm, at most 15 characters) of the program each one started."))
      .instances_help("command names (comm) of the programs started by exec()");
}

const bool registered = bcc::register_module("exectop", exectop);

}  // namespace
