// syscount: system calls by name, counted and timed, as BCC's syscount
// tool reports them; with `details`, per process too ("1234::read").
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

// A per-syscall array and, with details, its per-process hash, by instance
// name: "read", "1234::read". Processes that have exited are reported with
// their final totals for the grace period (`exited`).
std::map<std::string, uint64_t> by_instance(Maps& bpf, const Settings& settings,
                                            const bcc::ExitedProcesses& exited,
                                            const std::string& array, const std::string& hash) {
  std::map<std::string, uint64_t> out;
  std::vector<uint64_t> slots = bcc::read_u64_array(bpf, array);
  for (size_t id = 0; id < slots.size(); id++)
    if (slots[id]) out[bcc::syscall_name(static_cast<long>(id))] = slots[id];
  if (!settings.details) return out;
  // modules/syscount.bpf's struct pid_syscall { u32 pid; u32 id; }
  static const bcc::KeyDecoder pid_and_call =
      bcc::key_fields({{0, 4, {"u32", "number"}}, {4, 4, {"u32", "syscall"}}});
  for (auto& [key, value] : exited.u64_entries(bpf, hash)) out[pid_and_call(key)] = value;
  return out;
}

using Exited = std::shared_ptr<bcc::ExitedProcesses>;

bcc::Reader totals(std::shared_ptr<Settings> settings, Exited exited, bool needs_latency,
                   std::string array, std::string hash) {
  return [=](Maps& bpf, std::vector<Sample>& out) {
    if (needs_latency && !settings->latency) return;
    for (auto& [name, value] : by_instance(bpf, *settings, *exited, array, hash))
      out.push_back({name, value});
  };
}

bcc::Reader averages(std::shared_ptr<Settings> settings, Exited exited) {
  return [=](Maps& bpf, std::vector<Sample>& out) {
    if (!settings->latency) return;
    auto total = by_instance(bpf, *settings, *exited, "latency_ns", "pid_latency_ns");
    for (auto& [name, calls] : by_instance(bpf, *settings, *exited, "timed", "pid_timed"))
      if (calls) out.push_back({name, total[name] / calls});
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
  // the per-process hashes exist with 'details' only (and latency's with 'latency')
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
        if (settings->details) exited->watch("pid_counts", pid_in_key());
        if (settings->details && settings->latency)
          for (const char* hash : {"pid_latency_ns", "pid_timed"})
            exited->watch(hash, pid_in_key());
        if (options.is_set("errno") && !parse_errno(options.text("errno")))
          throw config::ConfigError("errno = '" + options.text("errno") +
                                    "': expected an errno name (ENOENT, EACCES...) or number");
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
                     totals(settings, exited, false, "counts", "pid_counts"), "syscall count",
                     "System calls that finished, by name, since the module started." + which))
      .metric(metric("proc.syscall.latency.avg", PM_SEM_INSTANT, time_units(PM_TIME_NSEC),
                     averages(settings, exited), "syscall avglatency",
                     "Average time a system call took, from entry to exit, in nanoseconds, "
                     "over every call since the module started. Needs the 'latency' "
                     "option (no values without it)." + which))
      .metric(metric("proc.syscall.latency.cml", PM_SEM_COUNTER, time_units(PM_TIME_NSEC),
                     totals(settings, exited, true, "latency_ns", "pid_latency_ns"), "syscall cmllatency",
                     "Time spent in system calls, from entry to exit, in nanoseconds, "
                     "cumulative since the module started. Needs the 'latency' option (no "
                     "values without it)." + which))
      .instances_help(
          "system call names, and \"PID::name\" per followed process with 'details'");
  return spec;
}

const bool registered = bcc::register_module("syscount", syscount);

}  // namespace
