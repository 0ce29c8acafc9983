// execsnoop: the most recent exec() calls, with their command name, pid,
// parent, return value and arguments, as BCC's execsnoop tool shows them.
#include <memory>
#include <string>
#include <vector>

#include "exec_events.h"
#include "module/options.h"
#include "module/recent_events.h"
#include "module/registry.h"
#include "module/table_columns.h"

namespace {

using namespace bcc;

// The metric of each column of exec_events' rows (ExecColumn order).
const std::vector<std::string> kColumns = {"proc.exec.comm", "proc.exec.pid", "proc.exec.ppid",
                                           "proc.exec.ret", "proc.exec.args"};

// The newest exec()s: the program's records joined and filtered by
// ExecEvents into the table the metrics show.
class RecentExecs : public RecentEvents {
 public:
  RecentExecs() : RecentEvents("process_count", kColumns) {}
  void configure(const ModuleOptions& options) override {
    RecentEvents::configure(options);
    ExecFilters filters;
    filters.include_failed = options.flag("include_failed");
    filters.command = regex_option("command", options.text("command"));
    filters.args = regex_option("args", options.text("args"));
    execs_ = std::make_unique<ExecEvents>(table(), std::move(filters));
  }
  void event(const std::string&, const void* data, int size) override {
    if (execs_ && size > 0) execs_->on_record(data, static_cast<size_t>(size));
  }

 private:
  std::unique_ptr<ExecEvents> execs_;  // from configure: the filters are options
};

MetricSpec column(ExecColumn c, int type, std::string oneline, std::string help) {
  return column_metric(kColumns[c], type, no_units(), std::move(oneline), std::move(help));
}

ModuleSpec execsnoop() {
  const std::string which =
      " Instances \"0\" (the newest) to \"N-1\", N being the 'process_count' option; only "
      "successful exec()s unless 'include_failed' is set, and only those matching the "
      "'command' and 'args' regular expressions when they are set.";
  return ModuleSpec("execsnoop")
      .summary("recent exec() calls")
      .program("execsnoop.bpf")
      .option(flag_option("include_failed", "also show exec() calls that failed"))
      .option(text_option("command", "only commands whose name matches this regular expression "
                                     "(searched, not anchored)"))
      .option(text_option("args", "only commands whose arguments match this regular expression"))
      .option(number_option("max_args", 20, "arguments read per exec(), the file name included",
                            1, 128))
      .option(number_option("process_count", 20, "how many recent exec()s to keep", 1, 10000))
      .option(number_option("buffer_page_count", 64,
                            "perf buffer pages per CPU, a power of two; raise it when "
                            "bcc.pmda.module.lost_events grows",
                            1, 65536))
      .defines_from([](const ModuleOptions& options) {
        return std::vector<std::string>{"MAX_ARGS=" + std::to_string(options.number("max_args"))};
      })
      .btf_offset("REAL_PARENT_OFFSET", "task_struct", "real_parent")
      .btf_offset("TGID_OFFSET", "task_struct", "tgid")
      .probe("enter", {tracepoint("syscalls:sys_enter_execve"), kprobe("__x64_sys_execve")})
      .probe("exit", {tracepoint("syscalls:sys_exit_execve"), kretprobe("__x64_sys_execve")})
      .probe("enter_at",
             {tracepoint("syscalls:sys_enter_execveat"), kprobe("__x64_sys_execveat")})
      .probe("exit_at",
             {tracepoint("syscalls:sys_exit_execveat"), kretprobe("__x64_sys_execveat")})
      .events("events", "buffer_page_count")
      .collector(std::make_shared<RecentExecs>())
      .metric(column(exec_comm, PM_TYPE_STRING, "command",
                     "Command name (comm) after the exec()." + which))
      .metric(column(exec_pid, PM_TYPE_U32, "PID",
                     "Process id of the process that called exec()." + which))
      .metric(column(exec_ppid, PM_TYPE_U32, "parent PID", "Process id of its parent." + which))
      .metric(column(exec_ret, PM_TYPE_32, "return code",
                     "What exec() returned: 0, or a negative errno when it failed." + which))
      .metric(column(exec_args, PM_TYPE_STRING, "command arguments",
                     "The program's file name and its arguments from argv[1] on, joined by "
                     "spaces, at most 'max_args' of them (then \"...\"), each cut at 127 "
                     "bytes." + which))
      .instances_help("recent exec() calls, \"0\" the newest");
}

const bool registered = register_module("execsnoop", execsnoop);

}  // namespace
