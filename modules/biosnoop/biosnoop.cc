// biosnoop: the most recent block I/O requests one by one, as pmdabpf's
// biosnoop module shows them (bcc's biosnoop tool): submitter, disk,
// operation, sector, size and latency.
#include <memory>
#include <string>
#include <vector>

#include "biosnoop.h"
#include "config/ini.h"
#include "module/cgroup_filter.h"
#include "module/options.h"
#include "module/record_rows.h"
#include "module/registry.h"
#include "module/table_columns.h"
#include "system/block_devices.h"

static_assert(sizeof(biosnoop_event) == 56, "biosnoop_event: the record biosnoop.bpf sends");

namespace {

using namespace bcc;

enum Column { comm, pid, disk, rwbs, sector, bytes, lat, qlat };

// The metric of each column, in Column order.
const std::vector<std::string> kColumns = {
    "biosnoop.comm",  "biosnoop.pid",   "biosnoop.disk", "biosnoop.rwbs",
    "biosnoop.sector", "biosnoop.bytes", "biosnoop.lat",  "biosnoop.qlat"};

// The kernel's rwbs text (blk_fill_rwbs): "W", "WS", "FWFS", "RA"...
std::string rwbs_text(uint8_t op, uint8_t flags) {
  std::string s = flags & BIOSNOOP_PREFLUSH ? "F" : "";
  static const char* const kOps[] = {"R", "W", "F", "D", "DE", "N"};
  s += kOps[op <= BIOSNOOP_OP_OTHER ? op : uint8_t{BIOSNOOP_OP_OTHER}];
  if (flags & BIOSNOOP_FUA) s += 'F';
  if (flags & BIOSNOOP_RAHEAD) s += 'A';
  if (flags & BIOSNOOP_SYNC) s += 'S';
  if (flags & BIOSNOOP_META) s += 'M';
  return s;
}

// The requests the program reports as they complete, newest first; the
// disk and cgroup filters it keeps from the options for the program.
class CompletedRequests : public RecordRows<biosnoop_event> {
 public:
  CompletedRequests() : RecordRows("process_count", kColumns, "biosnoop.lost") {}

  void configure(const ModuleOptions& options) override {
    RecentEvents::configure(options);
    queued_ = options.flag("queued");
    defines_.clear();
    if (options.is_set("disk")) {
      DiskNumber d = find_disk(options.text("disk"));
      if (!d.error.empty()) throw config::ConfigError("disk: " + d.error);
      defines_.push_back("FILTER_DEV=" + std::to_string(d.kernel_dev()) + "u");
    }
    if (options.is_set("cgroup"))
      for (std::string& define : cgroup_defines(options.text("cgroup")))
        defines_.push_back(std::move(define));
  }
  std::vector<std::string> defines(const std::vector<int>&) override { return defines_; }

 protected:
  std::vector<Value> row_of(const biosnoop_event& e) override {
    std::vector<Value> r(queued_ ? kColumns.size() : kColumns.size() - 1);
    std::string command = c_string(e.comm);
    r[comm] = command.empty() ? std::string("?") : command;
    r[pid] = uint64_t{e.pid};
    std::string name = disks_.name(kernel_dev_major(e.dev), kernel_dev_minor(e.dev));
    r[disk] = name.empty() ? std::string("?") : name;
    r[rwbs] = rwbs_text(e.op, e.flags);
    r[sector] = uint64_t{e.sector};
    r[bytes] = uint64_t{e.bytes};
    r[lat] = uint64_t{e.latency_ns};
    if (queued_) r[qlat] = uint64_t{e.queued_ns};
    return r;
  }

 private:
  bool queued_ = false;
  std::vector<std::string> defines_;
  DiskNames disks_;
};

MetricSpec column(Column c, int type, int semantics, const char* oneline, std::string help) {
  return column_metric(
      kColumns[c], type, no_units(), oneline,
      help + " Instances \"0\" (the newest request) to \"N-1\", N being 'process_count'.",
      semantics);
}

ModuleSpec biosnoop() {
  return ModuleSpec("biosnoop")
      .summary("block I/O requests one by one, most recent first")
      .program("biosnoop.bpf")
      .option(event_count_option("requests"))
      .option(buffer_pages_option(64, "bcc.biosnoop.lost"))
      .option(text_option("disk", "only requests to this disk (its name as in /dev: vda, sda)"))
      .option(text_option("cgroup", "only requests submitted by processes in this cgroup v2 "
                                    "folder or below it (/sys/fs/cgroup/system.slice)"))
      .option(flag_option("queued", "also time the wait in the OS queue (bcc.biosnoop.qlat)"))
      .process_filter()
      .probe("start", {raw_tracepoint("block_io_start")})
      .probe_if("queued", "insert", {raw_tracepoint("block_rq_insert")})
      .probe("issue", {raw_tracepoint("block_rq_issue")})
      .probe("done", {raw_tracepoint("block_rq_complete")})
      .events("events", "buffer_page_count")
      .collector(std::make_shared<CompletedRequests>())
      .metric(column(comm, PM_TYPE_STRING, PM_SEM_INSTANT, "Command name",
                     "Command name of the process that submitted the request (at most 15 "
                     "bytes, as the kernel keeps it); \"?\" when it was not seen."))
      .metric(column(pid, PM_TYPE_U32, PM_SEM_DISCRETE, "Process identifier",
                     "Process id of the process that submitted the request; 0 when it was not "
                     "seen (a request merged into another, written back by the kernel...)."))
      .metric(column(disk, PM_TYPE_STRING, PM_SEM_INSTANT, "Disk name",
                     "Name of the whole disk (\"vda\", never a partition); \"?\" when sysfs "
                     "does not know it."))
      .metric(column(rwbs, PM_TYPE_STRING, PM_SEM_INSTANT, "Operations",
                     "The kernel's rwbs letters of the request: F (flush before), then R "
                     "(read), W (write), D (discard), DE (secure erase), F (flush) or N "
                     "(other), then F (FUA), A (read-ahead), S (sync), M (metadata)."))
      .metric(column(sector, PM_TYPE_U64, PM_SEM_DISCRETE, "Sector",
                     "First sector of the request, in 512-byte sectors from the start of the "
                     "disk."))
      .metric(column(bytes, PM_TYPE_U32, PM_SEM_DISCRETE, "Bytes",
                     "Size of the request in bytes (no units declared, as pmdabpf)."))
      .metric(column(lat, PM_TYPE_U64, PM_SEM_DISCRETE, "Latency",
                     "Nanoseconds from the request's issue to the device to its completion "
                     "(no units declared, as pmdabpf)."))
      .metric(column(qlat, PM_TYPE_U64, PM_SEM_DISCRETE, "Queue latency",
                     "With 'queued': nanoseconds the request waited in the OS queue, from its "
                     "insertion to its issue (0 when it was issued without waiting there); "
                     "no values otherwise."))
      .metric(lost_events_metric("biosnoop.lost"))
      .instances_help("the most recent block I/O requests completed, \"0\" the newest");
}

const bool registered = register_module("biosnoop", biosnoop);

}  // namespace
