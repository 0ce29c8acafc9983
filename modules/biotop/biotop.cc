// biotop: the processes doing the most block I/O over the last interval,
// per disk and direction, as BCC's biotop tool shows them.
#include <memory>

#include "bpf/tables.h"
#include "io_top.h"
#include "module/interval_epochs.h"
#include "module/metrics.h"
#include "module/options.h"
#include "module/registry.h"
#include "system/block_devices.h"

namespace {

using bcc::IoTotals;

struct Settings {
  uint64_t interval_ns = 1000000000ull;  // 0: since the last fetch
  bcc::IoSort sort;
  size_t count = 20;
  bool include_residual = false;
};

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

bcc::MetricSpec column(const char* name, int type, pmUnits units,
                       std::shared_ptr<bcc::EventTable> table, Column c, const char* oneline,
                       std::string help) {
  return bcc::event_field(name, type, units, table, c, oneline, std::move(help));
}

bcc::ModuleSpec biotop() {
  using namespace bcc;
  auto table = std::make_shared<EventTable>();
  auto settings = std::make_shared<Settings>();
  auto disks = std::make_shared<DiskNames>();
  const std::string which =
      " One instance per process, disk and direction that did block I/O in the last "
      "'interval' seconds: \"0\" to \"N-1\" in the order of the 'sort' option (most bytes "
      "first by default), at most 'process_count' of them.";
  return ModuleSpec("biotop")
      .summary("top processes by block I/O")
      .program("biotop.bpf")
      .option(number_option("interval", 1,
                            "seconds each report covers (the last complete interval); 0 = the "
                            "time since the previous fetch",
                            0, 86400))
      .option(number_option("process_count", 20, "how many processes to show", 1, 10000))
      .option(text_option("sort", "bytes, io, duration or rw, with '-' for descending; "
                                  "default -bytes"))
      .option(flag_option("include_residual",
                          "also show I/O whose submitting process was not seen, as pid 0"))
      .on_configure([settings, table](const ModuleOptions& options) {
        settings->interval_ns = options.number("interval") * 1000000000ull;
        settings->sort = parse_io_sort(options.is_set("sort") ? options.text("sort") : "-bytes");
        settings->count = options.number("process_count");
        settings->include_residual = options.flag("include_residual");
        table->set_capacity(settings->count);
      })
      .probe("start", {tracepoint("block:block_io_start"), tracepoint("block:block_bio_queue")})
      .probe("issue", {tracepoint("block:block_rq_issue")})
      .probe("done", {raw_tracepoint("block_rq_complete"), tracepoint("block:block_rq_complete")})
      .defines_from(
          [](const ModuleOptions& options) { return interval_defines(options.number("interval")); })
      .on_fetch([table, settings, disks](Maps& bpf) {
        std::vector<std::vector<Value>> rows;
        for (const IoTotals& t : rank_io(take_totals(bpf, settings->interval_ns), settings->sort,
                                         settings->count, settings->include_residual)) {
          std::string disk = disks->name(t.major, t.minor);
          rows.push_back({uint64_t{t.pid}, t.comm, std::string(t.write ? "W" : "R"),
                          uint64_t{t.major}, uint64_t{t.minor},
                          disk.empty() ? std::string("?") : disk, t.io, t.bytes,
                          t.microseconds / t.io});
        }
        table->replace(std::move(rows));
      })
      .metric(column("proc.io.perdev.pid", PM_TYPE_U32, no_units(), table, pid, "PID",
                     "Process id of the process that submitted the I/O (0: not seen)." + which))
      .metric(column("proc.io.perdev.comm", PM_TYPE_STRING, no_units(), table, comm, "command",
                     "Command name of that process." + which))
      .metric(column("proc.io.perdev.direction", PM_TYPE_STRING, no_units(), table, direction,
                     "IO direction", "\"W\" for writes, \"R\" for reads and the rest." + which))
      .metric(column("proc.io.perdev.major", PM_TYPE_U32, no_units(), table, major, "disk major",
                     "Major device number of the disk." + which))
      .metric(column("proc.io.perdev.minor", PM_TYPE_U32, no_units(), table, minor, "disk minor",
                     "Minor device number of the disk." + which))
      .metric(column("proc.io.perdev.disk", PM_TYPE_STRING, no_units(), table, disk, "disk name",
                     "Name of the disk (\"vda\"; \"?\" when sysfs does not know it)." + which))
      .metric(column("proc.io.perdev.io", PM_TYPE_U32, no_units(), table, io, "IO count",
                     "Requests completed in the interval." + which))
      .metric(column("proc.io.perdev.bytes", PM_TYPE_U64, byte_units(), table, bytes,
                     "number of bytes", "Bytes those requests transferred." + which))
      .metric(column("proc.io.perdev.duration", PM_TYPE_U32, time_units(PM_TIME_USEC), table,
                     duration, "avg duration",
                     "Average time from issue to the device to completion, in "
                     "microseconds." + which))
      .instances_help("processes ranked by block I/O in the last interval, \"0\" first");
}

const bool registered = bcc::register_module("biotop", biotop);

}  // namespace
