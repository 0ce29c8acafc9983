// fsslower: the most recent file system operations (read, write, open,
// fsync) slower than a threshold on one file system type, as pmdabpf's
// fsslower module (BCC's fsslower tool) shows them. The operations are
// timed on the file system's own functions, with kprobes; ext4's fsync
// also through ext4's tracepoints, so that on a kernel without kprobes the
// module still shows ext4's slow fsyncs (and runs "partial", without the
// other three).
#include <memory>
#include <string>
#include <vector>

#include "config/ini.h"
#include "module/options.h"
#include "module/registry.h"
#include "module/snoop_events.h"
#include "module/table_columns.h"
#include "fsslower.h"

static_assert(sizeof(fsslower_event) == 80, "fsslower_event: the record fsslower.bpf sends");

namespace {

using namespace bcc;

enum Column { comm, pid, file_op, bytes, offset, lat, filename };

// The metric of each column, in Column order (pmdabpf's names).
const std::vector<std::string> kColumns = {
    "fsslower.comm",   "fsslower.pid", "fsslower.file_op",  "fsslower.bytes",
    "fsslower.offset", "fsslower.lat", "fsslower.filename"};

std::vector<Value> row(const fsslower_event& e) {
  static const char* const kOps[] = {"R", "W", "O", "F"};
  std::vector<Value> r(kColumns.size());
  r[comm] = c_string(e.comm);
  r[pid] = uint64_t{e.pid};
  r[file_op] = std::string(e.op < 4 ? kOps[e.op] : "?");
  r[bytes] = uint64_t{static_cast<uint32_t>(e.size)};  // U32, as pmdabpf's: errors wrap
  r[offset] = int64_t{e.offset};
  r[lat] = static_cast<double>(e.delta_us);
  r[filename] = c_string(e.file);
  return r;
}

// A file system's read_iter, write_iter, open and fsync functions.
struct FileOperations {
  const char *name, *read, *write, *open, *fsync;
};
const FileOperations kFileSystems[] = {
    {"ext4", "ext4_file_read_iter", "ext4_file_write_iter", "ext4_file_open", "ext4_sync_file"},
    {"xfs", "xfs_file_read_iter", "xfs_file_write_iter", "xfs_file_open", "xfs_file_fsync"},
    {"btrfs", "btrfs_file_read_iter", "btrfs_file_write_iter", "btrfs_file_open",
     "btrfs_sync_file"},
    {"nfs", "nfs_file_read", "nfs_file_write", "nfs_file_open", "nfs_file_fsync"},
};

const FileOperations* file_system(const std::string& name) {
  for (const FileOperations& fs : kFileSystems)
    if (name == fs.name) return &fs;
  return nullptr;
}

ProbeAlternative named(ProbeAlternative alt, std::string function) {
  alt.function = std::move(function);
  return alt;
}

// One operation's entry and exit chains: kprobes on `function`, the
// tracepoints first where the file system has them; optional unless `required`.
void time_operation(std::vector<ProbeChain>& chains, const std::string& op,
                    const std::string& function, bool required,
                    std::vector<ProbeAlternative> entry_tracepoints = {},
                    std::vector<ProbeAlternative> exit_tracepoints = {}) {
  entry_tracepoints.push_back(named(kprobe(function), "file_" + op + "_entry"));
  exit_tracepoints.push_back(named(kretprobe(function), "file_" + op + "_exit"));
  chains.push_back({op + "_entry", entry_tracepoints, !required});
  chains.push_back({op + "_exit", exit_tracepoints, !required});
}

std::vector<ProbeChain> operation_probes(const ModuleOptions& options, const std::vector<int>&) {
  const FileOperations* fs = file_system(options.text("filesystem"));
  if (!fs) return {};  // refused at configure
  std::vector<ProbeChain> chains;
  // read, write and open need kprobes: without them the module runs partially
  time_operation(chains, "read", fs->read, false);
  time_operation(chains, "write", fs->write, false);
  time_operation(chains, "open", fs->open, false);
  if (std::string(fs->name) == "ext4")
    time_operation(chains, "fsync", fs->fsync, true, {raw_tracepoint("ext4_sync_file_enter")},
                   {raw_tracepoint("ext4_sync_file_exit")});
  else
    time_operation(chains, "fsync", fs->fsync, true);
  return chains;
}

uint64_t min_ns(const ModuleOptions& options) {
  if (options.is_set("min_us")) return options.number("min_us") * 1000;
  return options.number("min") * 1000000;
}

// The slow operations, newest first; refuses a file system it cannot time.
class SlowOperations : public RecordRows<fsslower_event> {
 public:
  SlowOperations() : RecordRows("process_count", kColumns, "fsslower.lost", ::row) {}
  void configure(const ModuleOptions& options) override {
    if (!file_system(options.text("filesystem")))
      throw config::ConfigError("filesystem '" + options.text("filesystem") +
                                "': expected ext4, xfs, btrfs or nfs");
    RecordRows::configure(options);
  }
};

const std::string kWhich =
    newest_events_help("operation") +
    " Only operations slower than 'min' milliseconds ('min_us' microseconds when set) on "
    "files of the 'filesystem' type. Measured with kprobes on the file system's "
    "read_iter, write_iter, open and fsync functions; on a kernel without kprobes only "
    "ext4's fsync is measured (tracepoints ext4:ext4_sync_file_enter/exit, which bracket "
    "ext4_sync_file).";

MetricSpec column(Column c, int type, const char* oneline, const std::string& help,
                  pmUnits units = no_units()) {
  return column_metric(kColumns[c], type, units, oneline, help + kWhich);
}

ModuleSpec fsslower() {
  ModuleSpec spec("fsslower");
  spec.summary("recent slow file system operations")
      .program("fsslower.bpf")
      .option({"filesystem", OptionKind::text, "ext4",
               "the file system type to trace: ext4, xfs, btrfs or nfs (on a kernel without "
               "kprobes: ext4's fsync only)"})
      .option(number_option("min", 10, "only operations slower than this, in milliseconds"))
      .option(unset_number_option("min_us",
                                  "only operations slower than this, in microseconds "
                                  "(instead of 'min')"))
      .defines_from([](const ModuleOptions& options) {
        return std::vector<std::string>{"MIN_NS=" + std::to_string(min_ns(options)) + "ull"};
      })
      .btf_offset("KIOCB_KI_FILP_OFFSET", "kiocb", "ki_filp")
      .btf_offset("KIOCB_KI_POS_OFFSET", "kiocb", "ki_pos")
      .btf_offset("FILE_F_PATH_OFFSET", "file", "f_path")
      .btf_offset("PATH_DENTRY_OFFSET", "path", "dentry")
      .btf_offset("DENTRY_D_NAME_OFFSET", "dentry", "d_name")
      .btf_offset("QSTR_NAME_OFFSET", "qstr", "name")
      .probes_from(operation_probes);
  return snoop_events(spec, "slow operations", 64)
      .collector(std::make_shared<SlowOperations>())
      .metric(column(comm, PM_TYPE_STRING, "Command name",
                     "Command name of the process (at most 15 bytes, as the kernel keeps it)."))
      .metric(column_metric(kColumns[pid], PM_TYPE_U32, no_units(), "Process identifier",
                              "Process identifier (tgid) of the process." + kWhich, PM_SEM_DISCRETE))
      .metric(column(file_op, PM_TYPE_STRING, "File operation",
                     "R (read), W (write), O (open) or F (fsync)."))
      .metric(column(bytes, PM_TYPE_U32, "Bytes",
                     "R, W: what the call returned (bytes; an error wraps, as pmdabpf's "
                     "unsigned 32-bit value); O: 0; F: the size of the range synced (0 when "
                     "measured by ext4's tracepoints, which do not give it).",
                     byte_units()))
      .metric(column(offset, PM_TYPE_64, "Offset",
                     "R, W: the file position the operation started at; O: 0; F: the start "
                     "of the range synced (0 by ext4's tracepoints).",
                     byte_units()))
      .metric(column(lat, PM_TYPE_DOUBLE, "Latency",
                     "How long the operation took, in microseconds.",
                     time_units(PM_TIME_USEC)))
      .metric(column(filename, PM_TYPE_STRING, "File Name",
                     "The file's name, without its directory, at most 31 bytes, bytes as the "
                     "kernel keeps them."))
      .metric(lost_events_metric("fsslower.lost"))
      .instances_help("recent slow file system operations, \"0\" the newest");
}

const bool registered = register_module("fsslower", fsslower);

}  // namespace
