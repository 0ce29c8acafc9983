// exitsnoop: the most recent process exits, with their age, parent, exit
// code and the signal that ended them, as pmdabpf's module of the same name
// shows them (the same names below bcc., types, semantics and units).
#include <memory>
#include <string>
#include <vector>

#include "exitsnoop.h"
#include "module/cgroup_filter.h"
#include "module/options.h"
#include "module/record_rows.h"
#include "module/registry.h"
#include "module/table_columns.h"

static_assert(sizeof(exitsnoop_event) == 56, "exitsnoop_event: the record exitsnoop.bpf sends");

namespace {

using namespace bcc;

enum Column { age, pid, tid, ppid, sig, exit_code, comm, coredump };

// The metric of each column, in Column order.
const std::vector<std::string> kColumns = {
    "exitsnoop.age",       "exitsnoop.pid",  "exitsnoop.tid",     "exitsnoop.ppid",
    "exitsnoop.sig",       "exitsnoop.exit_code", "exitsnoop.comm", "exitsnoop.coredump"};
const char* const kLost = "exitsnoop.lost";

std::vector<Value> row(const exitsnoop_event& e) {
  std::vector<Value> r(kColumns.size());
  // a task started before boot-time adjustments cannot be older than 0
  uint64_t lived = e.exit_time > e.start_time ? e.exit_time - e.start_time : 0;
  r[age] = static_cast<double>(lived);
  r[pid] = uint64_t{e.pid};
  r[tid] = uint64_t{e.tid};
  r[ppid] = uint64_t{e.ppid};
  r[sig] = int64_t{e.sig & 0x7f};
  r[exit_code] = int64_t{e.exit_code};
  r[comm] = c_string(e.comm);
  r[coredump] = int64_t{e.sig & 0x80};
  return r;
}

// The exits the program reports, newest first; the cgroup option's folder.
class RecentExits : public RecordRows<exitsnoop_event> {
 public:
  RecentExits() : RecordRows("process_count", kColumns, kLost, row) {}
  void configure(const ModuleOptions& options) override {
    RecordRows::configure(options);
    if (options.is_set("cgroup"))
      cgroup_defines_ = cgroup_defines(options.text("cgroup"));
  }
  std::vector<std::string> defines(const std::vector<int>&) override { return cgroup_defines_; }
 private:
  std::vector<std::string> cgroup_defines_;
};

const char* const kWhich =
    " Instances \"0\" (the most recent exit) to \"N-1\", N being the 'process_count' option.";

MetricSpec column(Column c, int type, int semantics, pmUnits units, const char* oneline,
                  std::string help) {
  return column_metric(kColumns[c], type, units, oneline, help + kWhich, semantics);
}

ModuleSpec exitsnoop() {
  return ModuleSpec("exitsnoop")
      .summary("process exits, most recent first")
      .program("exitsnoop.bpf")
      .option(event_count_option("exits"))
      .option(buffer_pages_option(16, "bcc.exitsnoop.lost"))
      .option(flag_option("failed", "only processes that exited with a non-zero code or were "
                                    "killed by a signal"))
      .option(flag_option("threads", "every thread that exits, not only whole processes "
                                     "(their main thread)"))
      .option(text_option("cgroup", "only tasks in this cgroup v2 folder or below it (a path: "
                                    "/sys/fs/cgroup/system.slice)"))
      .process_filter()
      .define_if("failed", "FAILED_ONLY")
      .define_if("threads", "THREADS")
      .btf_offset("EXIT_CODE_OFFSET", "task_struct", "exit_code")
      .btf_offset("START_TIME_OFFSET", "task_struct", "start_time")
      .btf_offset("REAL_PARENT_OFFSET", "task_struct", "real_parent")
      .btf_offset("TGID_OFFSET", "task_struct", "tgid")
      .probe("exit", {tracepoint("sched:sched_process_exit")})
      .events("events", "buffer_page_count")
      .collector(std::make_shared<RecentExits>())
      .metric(column(age, PM_TYPE_DOUBLE, PM_SEM_INSTANT, time_units(PM_TIME_NSEC), "age",
                     "How long the process lived, from its start to its exit, in nanoseconds."))
      .metric(column(pid, PM_TYPE_U32, PM_SEM_DISCRETE, no_units(), "Process identifier",
                     "Process id (thread group id) of the process that exited."))
      .metric(column(tid, PM_TYPE_U32, PM_SEM_DISCRETE, no_units(), "Thread ID",
                     "Thread id of the exiting task: the process id, unless 'threads' is set."))
      .metric(column(ppid, PM_TYPE_U32, PM_SEM_DISCRETE, no_units(),
                     "The process that will be notified",
                     "Process id of its parent, which is notified of the exit."))
      .metric(column(sig, PM_TYPE_32, PM_SEM_INSTANT, no_units(), "The signal",
                     "The signal that killed the process, 0 when it exited by itself."))
      .metric(column(exit_code, PM_TYPE_32, PM_SEM_INSTANT, no_units(), "The exit code",
                     "The status the process gave exit() (0 to 255), 0 when a signal "
                     "killed it."))
      .metric(column(comm, PM_TYPE_STRING, PM_SEM_INSTANT, no_units(),
                     "The process command name", "Command name (at most 15 characters)."))
      .metric(column(coredump, PM_TYPE_32, PM_SEM_INSTANT, no_units(), "core dumped",
                     "128 when the signal that killed the process dumped its core, else 0."))
      .metric(lost_events_metric(kLost))
      .instances_help("the most recent process exits, \"0\" the newest");
}

const bool registered = register_module("exitsnoop", exitsnoop);

}  // namespace
