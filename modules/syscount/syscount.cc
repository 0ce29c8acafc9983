// syscount: system calls by name, counted and timed, as BCC's syscount
// tool reports them; with `details`, per process too ("1234::read").
#include <algorithm>
#include <cstring>
#include <map>
#include <memory>

#include "bpf/tables.h"
#include "config/ini.h"
#include "module/exited_processes.h"
#include "module/metrics.h"
#include "module/options.h"
#include "module/registry.h"
#include "system/errno_names.h"
#include "system/syscall_names.h"

namespace {

using bcc::Maps;
using bcc::Sample;

struct Settings {
  bool details = false;  // with a process filter only
  bool latency = false;
};

// modules/syscount.bpf's struct syscall_stats: u64 count, then with
// 'latency' u64 latency_ns and u64 timed (calls whose entry was seen).
struct CallStats {
  uint64_t count = 0;
  uint64_t latency_ns = 0;
  uint64_t timed = 0;
};
static_assert(sizeof(CallStats) == 3 * sizeof(uint64_t), "struct syscall_stats with LATENCY");
using Field = uint64_t CallStats::*;

// The program's NR_SYSCALLS: slots per CPU row of its `stats` array.
constexpr size_t kSyscalls = 1024;

// One value's fields, as many as its `size` holds (8 bytes: count only).
CallStats stats_of(const char* bytes, size_t size) {
  CallStats out;
  uint64_t fields[3] = {0, 0, 0};
  std::memcpy(fields, bytes, std::min(size, sizeof fields));
  out.count = fields[0];
  out.latency_ns = fields[1];
  out.timed = fields[2];
  return out;
}

// The `stats` array's CPU rows summed, by syscall number.
std::vector<CallStats> per_syscall(Maps& bpf) {
  size_t size = bcc::map_info(bpf, "stats").value_size;
  bcc::MapBytes values = bcc::read_array_values(bpf, "stats");
  std::vector<CallStats> out(kSyscalls);
  if (size == 0) return out;
  const char* bytes = values.items().data();
  for (size_t slot = 0; (slot + 1) * size <= values.size(); slot++) {
    CallStats s = stats_of(bytes + slot * size, size);
    CallStats& total = out[slot % kSyscalls];
    total.count += s.count;
    total.latency_ns += s.latency_ns;
    total.timed += s.timed;
  }
  return out;
}

// Each instance's figures: "read" from the array, and with details
// "1234::read" from the per-process hash. An instance is reported by a
// metric when `shown` is not zero (the figures the former per-figure maps
// held keys for). Processes that have exited are reported with their final
// totals for the grace period (`exited`).
std::map<std::string, CallStats> by_instance(Maps& bpf, const Settings& settings,
                                             const bcc::ExitedProcesses& exited, Field shown) {
  std::map<std::string, CallStats> out;
  std::vector<CallStats> calls = per_syscall(bpf);
  for (size_t id = 0; id < calls.size(); id++)
    if (calls[id].*shown) out[bcc::syscall_name(static_cast<long>(id))] = calls[id];
  if (!settings.details) return out;
  // modules/syscount.bpf's struct pid_syscall { u32 pid; u32 id; }
  static const bcc::KeyDecoder pid_and_call =
      bcc::key_fields({{0, 4, {"u32", "number"}}, {4, 4, {"u32", "syscall"}}});
  for (const bcc::MapEntry& e : exited.entries(bpf, "pid_stats")) {
    CallStats s = stats_of(e.value.data(), e.value.size());
    // every entry has calls; only calls timed made a latency entry
    if (shown == &CallStats::count || s.timed) out[pid_and_call(e.key)] = s;
  }
  return out;
}

using Exited = std::shared_ptr<bcc::ExitedProcesses>;

bcc::Reader totals(std::shared_ptr<Settings> settings, Exited exited, bool needs_latency,
                   Field field) {
  return [=](Maps& bpf, std::vector<Sample>& out) {
    if (needs_latency && !settings->latency) return;
    for (auto& [name, stats] : by_instance(bpf, *settings, *exited, field))
      out.push_back({name, stats.*field});
  };
}

bcc::Reader averages(std::shared_ptr<Settings> settings, Exited exited) {
  return [=](Maps& bpf, std::vector<Sample>& out) {
    if (!settings->latency) return;
    for (auto& [name, stats] : by_instance(bpf, *settings, *exited, &CallStats::timed))
      out.push_back({name, stats.latency_ns / stats.timed});
  };
}

bcc::MetricSpec metric(std::string name, int semantics, pmUnits units, bcc::Reader read,
                       std::string oneline, std::string help) {
  bcc::MetricSpec m;
  m.name = std::move(name);
  m.semantics = semantics;
  m.units = units;
  m.read = std::move(read);
  m.oneline = std::move(oneline);
  m.help = std::move(help);
  return m;
}

bcc::ModuleSpec syscount() {
  using namespace bcc;
  auto settings = std::make_shared<Settings>();
  const std::string which =
      " Instances are system call names (\"read\", \"openat\"), and with the 'details' "
      "and 'process' options \"PID::name\" for each followed process; a process that has "
      "exited keeps its final totals for 'exited_grace' seconds (5 minutes by default), "
      "then is dropped. "
      "The 'process', 'failed' and 'errno' options limit which calls are counted.";
  ModuleSpec spec("syscount");
  // the per-process hash exists with 'details' only
  Exited exited = keep_exited_processes(spec, {});
  spec.summary("system calls by name: counts and latency")
      .program("syscount.bpf")
      .option(text_option("process", "only these processes: pids, command names or "
                                     "regular expressions on the command line, comma-separated"))
      .option(text_option("errno", "only calls failing with this errno (a name such as "
                                   "ENOENT, or its number)"))
      .option(flag_option("failed", "only calls that return an error"))
      .option(flag_option("details", "also count per followed process (needs 'process'), as "
                                     "\"PID::syscall\" instances"))
      .option(flag_option("latency", "also measure the time each call takes"))
      .process_filter("process")
      .on_configure([settings, exited](const ModuleOptions& options) {
        // per-process instances only for followed processes, as the Python
        // agent did: for every process they would grow without bound
        settings->details = options.flag("details") && options.is_set("process");
        settings->latency = options.flag("latency");
        if (settings->details) exited->watch("pid_stats", pid_in_key());
        if (options.is_set("errno") && !parse_errno(options.text("errno")))
          throw config::ConfigError("errno = '" + options.text("errno") +
                                    "': expected an errno name (ENOENT, EACCES...) or number");
      })
      .defines_from([](const ModuleOptions&) {
        return std::vector<std::string>{"POSSIBLE_CPUS=" + std::to_string(possible_cpus())};
      })
      .defines_from([](const ModuleOptions& options) {
        std::vector<std::string> out;
        if (options.is_set("errno"))
          out.push_back("ERRNO=" + std::to_string(*parse_errno(options.text("errno"))));
        return out;
      })
      .define_if("failed", "FAILED")
      .defines_from([](const ModuleOptions& options) {
        std::vector<std::string> out;
        if (options.flag("details") && options.is_set("process")) out.push_back("DETAILS");
        return out;
      })
      .define_if("latency", "LATENCY")
      .probe_if("latency", "enter", {tracepoint("raw_syscalls:sys_enter")})
      .probe("exit", {tracepoint("raw_syscalls:sys_exit")})
      .metric(metric("proc.syscall.count", PM_SEM_COUNTER, count_units(),
                     totals(settings, exited, false, &CallStats::count), "syscall count",
                     "System calls that finished, by name, since the module started." + which))
      .metric(metric("proc.syscall.latency.avg", PM_SEM_INSTANT, time_units(PM_TIME_NSEC),
                     averages(settings, exited), "syscall avglatency",
                     "Average time a system call took, from entry to exit, in nanoseconds, "
                     "over every call since the module started. Needs the 'latency' "
                     "option (no values without it)." + which))
      .metric(metric("proc.syscall.latency.cml", PM_SEM_COUNTER, time_units(PM_TIME_NSEC),
                     totals(settings, exited, true, &CallStats::latency_ns), "syscall cmllatency",
                     "Time spent in system calls, from entry to exit, in nanoseconds, "
                     "cumulative since the module started. Needs the 'latency' option (no "
                     "values without it)." + which))
      .instances_help(
          "system call names, and \"PID::name\" per followed process with 'details'");
  return spec;
}

const bool registered = bcc::register_module("syscount", syscount);

}  // namespace
