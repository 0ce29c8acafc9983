// syscount: system calls by name, counted and timed, as BCC's syscount
// tool reports them; with `details`, per process too ("1234::read").
#include <cstddef>
#include <cstring>
#include <map>
#include <memory>

#include "bpf/tables.h"
#include "config/ini.h"
#include "module/collector.h"
#include "module/exited_processes.h"
#include "module/key_decoders.h"
#include "module/options.h"
#include "module/registry.h"
#include "syscount.h"
#include "system/errno_names.h"
#include "system/syscall_names.h"

namespace {

using namespace bcc;

// One system call's figures: struct syscount_calls, or with 'latency'
// struct syscount_timed_calls (syscount.h).
struct CallStats {
  uint64_t count = 0;
  uint64_t latency_ns = 0;
  uint64_t timed = 0;
};

// The program's NR_SYSCALLS: slots per CPU row of its `stats` array.
constexpr size_t kSyscalls = 1024;

// One value's fields, as many as its `size` holds (count only, or timed).
CallStats stats_of(const char* bytes, size_t size) {
  CallStats out;
  if (size < sizeof(syscount_calls)) return out;
  std::memcpy(&out.count, bytes + offsetof(syscount_calls, count), sizeof out.count);
  if (size >= sizeof(syscount_timed_calls)) {
    std::memcpy(&out.latency_ns, bytes + offsetof(syscount_timed_calls, latency_ns),
                sizeof out.latency_ns);
    std::memcpy(&out.timed, bytes + offsetof(syscount_timed_calls, timed), sizeof out.timed);
  }
  return out;
}

// System calls counted and timed, by name ("read") and with 'details' by
// process too ("1234::read"), the processes that have exited reported with
// their final totals for the grace period.
class SystemCalls : public Collector {
 public:
  void configure(const ModuleOptions& options) override {
    // per-process instances only for followed processes, as the Python
    // agent did: for every process they would grow without bound
    details_ = options.flag("details") && options.is_set("process");
    latency_ = options.flag("latency");
    exited_.configure(options);
    // the per-process hash exists with 'details' only
    if (details_) exited_.watch("pid_stats", pid_in_key());
    if (options.is_set("errno") && !parse_errno(options.text("errno")))
      throw config::ConfigError("errno = '" + options.text("errno") +
                                "': expected an errno name (ENOENT, EACCES...) or number");
  }

  void collect(Maps& bpf, Collection& out) override {
    std::vector<Sample>* count = out.values("proc.syscall.count");
    std::vector<Sample>* avg = latency_ ? out.values("proc.syscall.latency.avg") : nullptr;
    std::vector<Sample>* cml = latency_ ? out.values("proc.syscall.latency.cml") : nullptr;
    // one list sorted by name: the processes' ("1234::read"), then the calls' ("read")
    std::map<std::string, Figures> by_instance;
    std::vector<CallStats> calls = per_syscall(bpf);
    for (size_t id = 0; id < calls.size(); id++)
      if (calls[id].count || calls[id].latency_ns || calls[id].timed)
        by_instance[syscall_name(static_cast<long>(id))] = {calls[id], false};
    if (details_) {
      exited_.collect(bpf);
      static const KeyDecoder pid_and_call =
          key_fields({{offsetof(syscount_pid_call, pid), 4, {"u32", "number"}},
                      {offsetof(syscount_pid_call, id), 4, {"u32", "syscall"}}});
      for (const MapEntry& e : exited_.entries(bpf, "pid_stats"))
        by_instance[pid_and_call(e.key)] = {stats_of(e.value.data(), e.value.size()), true};
    }
    // an instance is shown by a metric when it has the figure that metric
    // needs (the keys the former per-figure maps held): every process's
    // entry has calls, only calls timed made a latency entry
    for (const auto& [name, f] : by_instance) {
      const CallStats& s = f.stats;
      if (count && (s.count || f.per_process)) count->push_back({name, s.count});
      if (cml && (f.per_process ? s.timed : s.latency_ns)) cml->push_back({name, s.latency_ns});
      if (avg && s.timed) avg->push_back({name, s.latency_ns / s.timed});
    }
  }

 private:
  struct Figures {
    CallStats stats;
    bool per_process = false;  // from pid_stats, not the array
  };

  // The `stats` array's CPU rows summed, by syscall number (one read of
  // the array the program's memory shares with the agent).
  static std::vector<CallStats> per_syscall(Maps& bpf) {
    size_t size = map_info(bpf, "stats").value_size;
    MapBytes values = read_array_values(bpf, "stats");
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

  bool details_ = false;  // with a process filter only
  bool latency_ = false;
  ExitedProcesses exited_;
};

MetricSpec metric(std::string name, int semantics, pmUnits units, std::string oneline,
                  std::string help) {
  return make_metric(std::move(name), PM_TYPE_U64, semantics, units, std::move(oneline),
                     std::move(help));
}

ModuleSpec syscount() {
  const std::string which =
      " Instances are system call names (\"read\", \"openat\"), and with the 'details' "
      "and 'process' options \"PID::name\" for each followed process; a process that has "
      "exited keeps its final totals for 'exited_grace' seconds (5 minutes by default), "
      "then is dropped. "
      "The 'process', 'failed' and 'errno' options limit which calls are counted.";
  ModuleSpec spec("syscount");
  spec.option(exited_grace_option())
      .summary("system calls by name: counts and latency")
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
      .collector(std::make_shared<SystemCalls>())
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
      .metric(metric("proc.syscall.count", PM_SEM_COUNTER, count_units(), "syscall count",
                     "System calls that finished, by name, since the module started." + which))
      .metric(metric("proc.syscall.latency.avg", PM_SEM_INSTANT, time_units(PM_TIME_NSEC),
                     "syscall avglatency",
                     "Average time a system call took, from entry to exit, in nanoseconds, "
                     "over every call since the module started. Needs the 'latency' "
                     "option (no values without it)." + which))
      .metric(metric("proc.syscall.latency.cml", PM_SEM_COUNTER, time_units(PM_TIME_NSEC),
                     "syscall cmllatency",
                     "Time spent in system calls, from entry to exit, in nanoseconds, "
                     "cumulative since the module started. Needs the 'latency' option (no "
                     "values without it)." + which))
      .instances_help(
          "system call names, and \"PID::name\" per followed process with 'details'");
  return spec;
}

const bool registered = register_module("syscount", syscount);

}  // namespace
