// biotop: the processes doing the most block I/O over the last interval,
// per disk and direction, as BCC's biotop tool shows them.
#include <memory>
#include <string>
#include <vector>

#include "bpf/tables.h"
#include "io_top.h"
#include "module/collector.h"
#include "module/interval_epochs.h"
#include "module/options.h"
#include "module/registry.h"
#include "module/table_columns.h"
#include "system/block_devices.h"

namespace {

using bcc::IoTotals;

// Columns of the table, in the order of the metrics.
enum Column : size_t { pid, comm, direction, major, minor, disk, io, bytes, duration };

// The totals of the last complete interval (or since the last fetch) as
// rows; entries of older intervals are deleted.
std::vector<IoTotals> take_totals(bcc::Maps& bpf, uint64_t interval_ns) {
  std::vector<IoTotals> rows;
  const size_t epoch_offset = 32;
  bcc::IntervalEpochs epochs(interval_ns);
  for (const bcc::MapEntry& e : bcc::take_last_interval(bpf, "counts", epoch_offset, epochs)) {
    // struct top_key { u64 dev; u32 pid; u32 write; char comm[16]; u64 epoch; }
    // struct top_value { u64 bytes; u64 us; u64 io; }
    IoTotals t;
    uint64_t dev = bcc::field<uint64_t>(e.key, 0);
    t.major = bcc::kernel_dev_major(dev);
    t.minor = bcc::kernel_dev_minor(dev);
    t.pid = bcc::field<uint32_t>(e.key, 8);
    t.write = bcc::field<uint32_t>(e.key, 12) != 0;
    t.comm = bcc::text_field(e.key, 16, 16);
    t.bytes = bcc::field<uint64_t>(e.value, 0);
    t.microseconds = bcc::field<uint64_t>(e.value, 8);
    t.io = bcc::field<uint64_t>(e.value, 16);
    if (t.io) rows.push_back(std::move(t));
  }
  return rows;
}

// The metric of each column, in Column order.
const std::vector<std::string> kColumns = {
    "proc.io.perdev.pid",  "proc.io.perdev.comm", "proc.io.perdev.direction",
    "proc.io.perdev.major", "proc.io.perdev.minor", "proc.io.perdev.disk",
    "proc.io.perdev.io",   "proc.io.perdev.bytes", "proc.io.perdev.duration"};

// At each fetch, the processes of the last interval ranked by the `sort`
// option, one row each.
class TopIo : public bcc::Collector {
 public:
  void configure(const bcc::ModuleOptions& options) override {
    interval_ns_ = bcc::interval_option_ns(options);
    sort_ = bcc::parse_io_sort(options.is_set("sort") ? options.text("sort") : "-bytes");
    count_ = options.number("process_count");
    include_residual_ = options.flag("include_residual");
  }
  void collect(bcc::Maps& bpf, bcc::Collection& out) override {
    std::vector<std::vector<bcc::Value>> rows;
    for (const IoTotals& t :
         bcc::rank_io(take_totals(bpf, interval_ns_), sort_, count_, include_residual_)) {
      std::string disk = disks_.name(t.major, t.minor);
      rows.push_back({uint64_t{t.pid}, t.comm, std::string(t.write ? "W" : "R"),
                      uint64_t{t.major}, uint64_t{t.minor},
                      disk.empty() ? std::string("?") : disk, t.io, t.bytes,
                      t.microseconds / t.io});
    }
    bcc::add_rows(out, kColumns, rows);
  }

 private:
  uint64_t interval_ns_ = 1000000000ull;  // 0: since the last fetch
  bcc::IoSort sort_;
  size_t count_ = 20;
  bool include_residual_ = false;
  bcc::DiskNames disks_;
};

bcc::MetricSpec column(Column c, int type, pmUnits units, const char* oneline,
                       std::string help) {
  return bcc::column_metric(kColumns[c], type, units, oneline, std::move(help));
}

bcc::ModuleSpec biotop() {
  using namespace bcc;
  const std::string which =
      " One instance per process, disk and direction that did block I/O in the last "
      "'interval' seconds: \"0\" to \"N-1\" in the order of the 'sort' option (most bytes "
      "first by default), at most 'process_count' of them.";
  return ModuleSpec("biotop")
      .summary("top processes by block I/O")
      .program("biotop.bpf")
      .option(interval_option(86400))
      .option(number_option("process_count", 20, "how many processes to show", 1, 10000))
      .option(text_option("sort", "bytes, io, duration or rw, with '-' for descending; "
                                  "default -bytes"))
      .option(flag_option("include_residual",
                          "also show I/O whose submitting process was not seen, as pid 0"))
      .probe("start", {tracepoint("block:block_io_start"), tracepoint("block:block_bio_queue")})
      .optional_probe("front_merge", {tracepoint("block:block_bio_frontmerge")})
      .probe("issue", {tracepoint("block:block_rq_issue")})
      .probe("done", {raw_tracepoint("block_rq_complete"), tracepoint("block:block_rq_complete")})
      .defines_from(interval_option_defines)
      .collector(std::make_shared<TopIo>())
      .metric(column(pid, PM_TYPE_U32, no_units(), "PID",
                     "Process id of the process that submitted the I/O (0: not seen)." + which))
      .metric(column(comm, PM_TYPE_STRING, no_units(), "command",
                     "Command name of that process." + which))
      .metric(column(direction, PM_TYPE_STRING, no_units(),
                     "IO direction", "\"W\" for writes, \"R\" for reads and the rest." + which))
      .metric(column(major, PM_TYPE_U32, no_units(), "disk major",
                     "Major device number of the disk." + which))
      .metric(column(minor, PM_TYPE_U32, no_units(), "disk minor",
                     "Minor device number of the disk." + which))
      .metric(column(disk, PM_TYPE_STRING, no_units(), "disk name",
                     "Name of the disk (\"vda\"; \"?\" when sysfs does not know it)." + which))
      .metric(column(io, PM_TYPE_U32, no_units(), "IO count",
                     "Requests completed in the interval." + which))
      .metric(column(bytes, PM_TYPE_U64, byte_units(),
                     "number of bytes", "Bytes those requests transferred." + which))
      .metric(column(duration, PM_TYPE_U32, time_units(PM_TIME_USEC), "avg duration",
                     "Average time from issue to the device to completion, in "
                     "microseconds." + which))
      .instances_help("processes ranked by block I/O in the last interval, \"0\" first");
}

const bool registered = bcc::register_module("biotop", biotop);

}  // namespace
