// statsnoop: the most recent stat(2)-family calls (statfs, stat, statx,
// fstat, fstatat, lstat), with the process, the path and the result, as
// pmdabpf's statsnoop module (BCC's statsnoop tool) shows them.
#include <memory>
#include <string>
#include <vector>

#include "module/options.h"
#include "module/registry.h"
#include "module/snoop_events.h"
#include "module/table_columns.h"
#include "statsnoop.h"

static_assert(sizeof(statsnoop_event) == 280, "statsnoop_event: the record statsnoop.bpf sends");

namespace {

using namespace bcc;

enum Column { pid, comm, ret, err, path };

// The metric of each column, in Column order (pmdabpf's names).
const std::vector<std::string> kColumns = {"statsnoop.pid", "statsnoop.comm", "statsnoop.ret",
                                           "statsnoop.err", "statsnoop.path"};

std::vector<Value> row(const statsnoop_event& e) {
  std::vector<Value> r(kColumns.size());
  r[pid] = uint64_t{e.pid};
  r[comm] = c_string(e.comm);
  r[ret] = int64_t{e.ret >= 0 ? e.ret : -1};
  r[err] = int64_t{e.ret >= 0 ? 0 : -e.ret};
  r[path] = c_string(e.path);
  return r;
}

const std::string kWhich = newest_events_help("call") +
                           " With 'failed' set, only calls that failed.";

MetricSpec column(Column c, int type, const char* oneline, const std::string& help) {
  return column_metric(kColumns[c], type, no_units(), oneline, help + kWhich);
}

std::vector<ProbeAlternative> syscall(const std::string& event) {
  return {tracepoint("syscalls:" + event)};
}

ModuleSpec statsnoop() {
  ModuleSpec spec("statsnoop");
  spec.summary("recent stat() calls")
      .program("statsnoop.bpf")
      .option(flag_option("failed", "only calls that failed"))
      .define_if("failed", "FAILED_ONLY")
      .probe("statfs_enter", syscall("sys_enter_statfs"))
      .probe("statfs_exit", syscall("sys_exit_statfs"))
      .probe("statx_enter", syscall("sys_enter_statx"))
      .probe("statx_exit", syscall("sys_exit_statx"));
  // the older calls exist on x86-64, not on every architecture
  for (const char* call : {"newstat", "newfstat", "newfstatat", "newlstat"}) {
    spec.optional_probe(std::string(call) + "_enter", syscall(std::string("sys_enter_") + call));
    spec.optional_probe(std::string(call) + "_exit", syscall(std::string("sys_exit_") + call));
  }
  return snoop_events(spec, "stat() calls", 16)
      .collector(std::make_shared<RecordRows<statsnoop_event>>("process_count", kColumns, "statsnoop.lost", row))
      .metric(column_metric(kColumns[pid], PM_TYPE_U32, no_units(), "Process ID",
                              "Process identifier (tgid) of the process that called stat()." +
                                  kWhich, PM_SEM_DISCRETE))
      .metric(column(comm, PM_TYPE_STRING, "Command name",
                     "Command name for the process (at most 15 bytes, as the kernel keeps it)."))
      .metric(column(ret, PM_TYPE_32, "Return value", "What the call returned: 0, or -1 when it "
                                                      "failed."))
      .metric(column(err, PM_TYPE_32, "errno value",
                     "errno value when the call failed (see /usr/include/sys/errno.h), else 0."))
      .metric(column(path, PM_TYPE_STRING, "Stat path",
                     "Path as passed to the call, not resolved, at most 255 bytes, bytes as "
                     "given; empty for fstat()."))
      .metric(lost_events_metric("statsnoop.lost"))
      .instances_help("recent stat() calls, \"0\" the newest");
}

const bool registered = register_module("statsnoop", statsnoop);

}  // namespace
