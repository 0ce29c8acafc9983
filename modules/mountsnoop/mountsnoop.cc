// mountsnoop: the most recent mount(), umount2() and new mount API calls
// (fsopen, fsconfig, fsmount, move_mount), with the process, its mount
// namespace, the arguments, the result and the latency, as pmdabpf's
// mountsnoop module (BCC's mountsnoop tool) shows them.
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "module/registry.h"
#include "module/snoop_events.h"
#include "module/table_columns.h"
#include "mount_calls.h"
#include "mountsnoop.h"

static_assert(sizeof(mountsnoop_event) == 8840, "mountsnoop_event: the record mountsnoop.bpf sends");

namespace {

using namespace bcc;

enum Column { pid, tid, comm, op, ret, lat, mnt_ns, fs, source, target, data, flags, call };

// The metric of each column, in Column order (pmdabpf's names).
const std::vector<std::string> kColumns = {
    "mountsnoop.pid",    "mountsnoop.tid",    "mountsnoop.comm",   "mountsnoop.op",
    "mountsnoop.ret",    "mountsnoop.lat",    "mountsnoop.mnt_ns", "mountsnoop.fs",
    "mountsnoop.source", "mountsnoop.target", "mountsnoop.data",   "mountsnoop.flags",
    "mountsnoop.call"};

std::vector<Value> row(const mountsnoop_event& e) {
  std::vector<Value> r(kColumns.size());
  r[pid] = uint64_t{e.pid};
  r[tid] = uint64_t{e.tid};
  r[comm] = c_string(e.comm);
  r[op] = mount_op_name(e);
  r[ret] = mount_return_text(e.ret);
  // pmdabpf's descriptor is a signed 32-bit count of ns: longer calls read 2.1 s
  r[lat] = int64_t{static_cast<int64_t>(std::min<uint64_t>(e.delta_ns, INT32_MAX))};
  r[mnt_ns] = uint64_t{e.mnt_ns};
  r[fs] = c_string(e.fs);
  r[source] = e.op == MOUNTSNOOP_FSCONFIG ? "" : c_string(e.source);  // there, its key
  r[target] = c_string(e.target);
  r[data] = e.op == MOUNTSNOOP_MOUNT ? c_string(e.data) : "";
  r[flags] = mount_flags_text(e);
  r[call] = mount_call_text(e);
  return r;
}

const std::string kWhich = newest_events_help("call");

MetricSpec column(Column c, int type, const char* oneline, const std::string& help,
                  pmUnits units = no_units()) {
  return column_metric(kColumns[c], type, units, oneline, help + kWhich);
}

ModuleSpec mountsnoop() {
  ModuleSpec spec("mountsnoop");
  spec.summary("recent mount() and umount() calls")
      .program("mountsnoop.bpf")
      .btf_offset("TASK_NSPROXY_OFFSET", "task_struct", "nsproxy")
      .btf_offset("NSPROXY_MNT_NS_OFFSET", "nsproxy", "mnt_ns")
      .btf_offset("MNT_NAMESPACE_NS_OFFSET", "mnt_namespace", "ns")
      .btf_offset("NS_COMMON_INUM_OFFSET", "ns_common", "inum")
      .probe("mount_enter", {tracepoint("syscalls:sys_enter_mount")})
      .probe("mount_exit", {tracepoint("syscalls:sys_exit_mount")})
      .probe("umount_enter", {tracepoint("syscalls:sys_enter_umount")})
      .probe("umount_exit", {tracepoint("syscalls:sys_exit_umount")});
  // the new mount API (Linux 5.2)
  for (const std::string call : {"fsopen", "fsconfig", "fsmount", "move_mount"}) {
    spec.optional_probe(call + "_enter", {tracepoint("syscalls:sys_enter_" + call)});
    spec.optional_probe(call + "_exit", {tracepoint("syscalls:sys_exit_" + call)});
  }
  return snoop_events(spec, "mount calls", 64)
      .collector(
          std::make_shared<RecordRows<mountsnoop_event>>("process_count", kColumns, "mountsnoop.lost", row))
      .metric(column_metric(kColumns[pid], PM_TYPE_U32, no_units(), "Process identifier",
                              "Process identifier (tgid) of the caller." + kWhich, PM_SEM_DISCRETE))
      .metric(column_metric(kColumns[tid], PM_TYPE_U32, no_units(), "Thread identifier",
                              "Thread identifier of the caller." + kWhich, PM_SEM_DISCRETE))
      .metric(column(comm, PM_TYPE_STRING, "Command name",
                     "Command name of the caller (at most 15 bytes, as the kernel keeps it)."))
      .metric(column(op, PM_TYPE_STRING, "operation",
                     "The call: MOUNT, UMOUNT, FSOPEN, FSCONFIG, FSMOUNT or MOVE_MOUNT."))
      .metric(column(ret, PM_TYPE_STRING, "u/mount() return value",
                     "What the call returned: \"0\", the error's name (\"-EPERM\"), or a "
                     "number (a file descriptor from fsopen() or fsmount())."))
      .metric(column(lat, PM_TYPE_32, "Latency",
                     "How long the call took, in nanoseconds (2147483647, 2.1 s, for longer "
                     "calls: a 32-bit value, as pmdabpf's).",
                     time_units(PM_TIME_NSEC)))
      .metric(column(mnt_ns, PM_TYPE_U32, "MNT_NS",
                     "Mount namespace of the caller: its inode number, as in "
                     "/proc/PID/ns/mnt."))
      .metric(column(fs, PM_TYPE_STRING, "Filesystem",
                     "File system type: mount()'s type, fsopen()'s name; else empty."))
      .metric(column(source, PM_TYPE_STRING, "Source",
                     "mount()'s source, move_mount()'s from path; else empty. Bytes as "
                     "given."))
      .metric(column(target, PM_TYPE_STRING, "Target",
                     "mount()'s and umount()'s target, move_mount()'s to path; else empty. "
                     "Bytes as given."))
      .metric(column(data, PM_TYPE_STRING, "Data",
                     "mount()'s data string (file system options); else empty."))
      .metric(column(flags, PM_TYPE_STRING, "Flags",
                     "The call's flags: mount()'s by name (\"MS_RDONLY | MS_NOSUID\"), "
                     "umount()'s by name (\"MNT_DETACH\"), others in hex; \"0x0\" when none."))
      .metric(column(call, PM_TYPE_STRING, "u/mount(params)",
                     "The call as written in C with its result: mount(\"src\", \"dst\", "
                     "\"type\", flags, \"data\") = 0, umount(\"dst\", flags) = -EBUSY, "
                     "fsopen(\"type\", flags), fsconfig(fd, cmd, \"key\", \"value\", aux), "
                     "fsmount(fd, flags, attr_flags), move_mount(from_fd, \"from\", to_fd, "
                     "\"to\", flags)."))
      .metric(lost_events_metric("mountsnoop.lost"))
      .instances_help("recent mount() calls, \"0\" the newest");
}

const bool registered = register_module("mountsnoop", mountsnoop);

}  // namespace
