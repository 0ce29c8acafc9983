// opensnoop: the most recent open(), openat() and openat2() calls, with
// the process, its user, the file name as passed and the result, as
// pmdabpf's opensnoop module (BCC's opensnoop tool) shows them.
#include <memory>
#include <string>
#include <vector>

#include "module/id_filters.h"
#include "module/options.h"
#include "module/registry.h"
#include "module/snoop_events.h"
#include "module/table_columns.h"
#include "opensnoop.h"

static_assert(sizeof(opensnoop_event) == 288, "opensnoop_event: the record opensnoop.bpf sends");

namespace {

using namespace bcc;

enum Column { pid, uid, fd, err, flags, comm, fname };

// The metric of each column, in Column order (pmdabpf's names).
const std::vector<std::string> kColumns = {
    "opensnoop.pid",   "opensnoop.uid",  "opensnoop.fd",   "opensnoop.err",
    "opensnoop.flags", "opensnoop.comm", "opensnoop.fname"};

std::vector<Value> row(const opensnoop_event& e) {
  std::vector<Value> r(kColumns.size());
  r[pid] = uint64_t{e.pid};
  r[uid] = uint64_t{e.uid};
  r[fd] = int64_t{e.ret >= 0 ? e.ret : -1};
  r[err] = int64_t{e.ret >= 0 ? 0 : -e.ret};
  r[flags] = int64_t{e.flags};
  r[comm] = c_string(e.comm);
  r[fname] = c_string(e.fname);
  return r;
}

const std::string kWhich = newest_events_help("call");

MetricSpec column(Column c, int type, const char* oneline, const std::string& help) {
  return column_metric(kColumns[c], type, no_units(), oneline, help + kWhich);
}

ModuleSpec opensnoop() {
  ModuleSpec spec("opensnoop");
  spec.summary("recent open() calls")
      .program("opensnoop.bpf")
      .option(uid_option("only calls made by this user id (real uid)"))
      .option(flag_option("failed", "only calls that failed"))
      .define_if("failed", "FAILED_ONLY")
      // x86-64 has open(2); newer architectures (arm64) only openat
      .optional_probe("open_enter", {tracepoint("syscalls:sys_enter_open")})
      .optional_probe("open_exit", {tracepoint("syscalls:sys_exit_open")})
      .probe("openat_enter", {tracepoint("syscalls:sys_enter_openat")})
      .probe("openat_exit", {tracepoint("syscalls:sys_exit_openat")})
      // openat2 since Linux 5.6
      .optional_probe("openat2_enter", {tracepoint("syscalls:sys_enter_openat2")})
      .optional_probe("openat2_exit", {tracepoint("syscalls:sys_exit_openat2")});
  return snoop_events(spec, "open() calls", 64)
      .collector(std::make_shared<RecordRows<opensnoop_event>>("process_count", kColumns, "opensnoop.lost", row))
      .metric(column_metric(kColumns[pid], PM_TYPE_U32, no_units(), "Process ID",
                              "Process identifier (tgid) of the process that called open()." +
                                  kWhich, PM_SEM_DISCRETE))
      .metric(column(uid, PM_TYPE_U32, "User ID", "User identifier (real uid) of that process."))
      .metric(column(fd, PM_TYPE_32, "File descriptor",
                     "File descriptor open() returned, -1 when it failed."))
      .metric(column(err, PM_TYPE_32, "Return value",
                     "errno value when open() failed (see /usr/include/sys/errno.h), else 0."))
      .metric(column(flags, PM_TYPE_32, "open() sys call flags",
                     "Flags passed to open() (O_RDONLY, O_CREAT, ...; openat2: how.flags)."))
      .metric(column(comm, PM_TYPE_STRING, "Command name",
                     "Command name for the process (at most 15 bytes, as the kernel keeps it)."))
      .metric(column(fname, PM_TYPE_STRING, "File name",
                     "File name as passed to open(), not resolved (relative names stay "
                     "relative), at most 255 bytes, bytes as given."))
      .metric(lost_events_metric("opensnoop.lost"))
      .instances_help("recent open() calls, \"0\" the newest");
}

const bool registered = register_module("opensnoop", opensnoop);

}  // namespace
