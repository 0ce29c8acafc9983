// kprobe_hits: calls, failures and latency of a list of kernel functions,
// as the Python BCC agent's module of the same name measures them. Needs
// kprobes: on a kernel without them every probe is reported unavailable
// ("this kernel has no kprobes") and the module fails saying so.
#include <unistd.h>

#include <cstddef>
#include <memory>

#include "bpf/tables.h"
#include "config/values.h"
#include "config/ini.h"
#include "kprobe_hits.h"
#include "module/options.h"
#include "module/probe_list.h"
#include "module/registry.h"

namespace {

using namespace bcc;

// The field at `offset` of each value of the stats map (struct
// kprobe_hits_stats), by function; divided by the count with `average`.
MetricSpec stat_metric(std::string name, int semantics, pmUnits units, size_t offset,
                       std::shared_ptr<std::vector<std::string>> functions, bool average,
                       std::string oneline, std::string help) {
  MetricSpec m = make_metric(std::move(name), PM_TYPE_U64, semantics, units, std::move(oneline),
                             std::move(help));
  m.read = [functions, offset, average](Maps& bpf, std::vector<Sample>& out) {
    for (const MapEntry& e : read_entries(bpf, "stats")) {
      uint32_t pid = field<uint32_t>(e.key, offsetof(kprobe_hits_key, pid));
      uint32_t index = field<uint32_t>(e.key, offsetof(kprobe_hits_key, index));
      if (index >= functions->size()) continue;
      std::string instance = (pid ? std::to_string(pid) + "::" : "") + (*functions)[index];
      uint64_t value = field<uint64_t>(e.value, offset);
      if (average) {
        uint64_t count = field<uint64_t>(e.value, offsetof(kprobe_hits_stats, count));
        value = count ? value / count : 0;
      }
      out.push_back({instance, value});
    }
  };
  return m;
}

ModuleSpec kprobe_hits() {
  auto functions = std::make_shared<std::vector<std::string>>();
  return ModuleSpec("kprobe_hits")
      .summary("kernel function calls, failures and latency (needs kprobes)")
      .program("kprobe_hits.bpf")
      .option(text_option("kprobes", "comma list of kernel functions, or a file of one per "
                                     "line (default: bcc-kprobe.conf)"))
      .option(text_option("process", "count only in these processes (pids, names, regexes)"))
      .option(number_option("errno", 0, "count a failure when a function returns -errno"))
      .option(flag_option("ret_chk", "count a failure when a function returns < 0"))
      .option(flag_option("details", "one instance per process: \"pid::function\""))
      .option(flag_option("latency", "measure the time spent in each function"))
      .process_filter()
      .on_configure([functions](const ModuleOptions& options) {
        // function names have no ':', so a list is told from a file by the file
        std::string value = options.text("kprobes"), dir = options.config_dir();
        bool file = value.empty() || value.find('/') != std::string::npos ||
                    access((dir + "/" + value).c_str(), R_OK) == 0;
        *functions = file ? read_probe_list(value, dir, "bcc-kprobe.conf")
                          : config::split_list(value);
        if (functions->empty())
          throw config::ConfigError("kprobes: no kernel function given");
      })
      .define_if("details", "DETAILS")
      .define_if("latency", "LATENCY")
      .define_if("ret_chk", "RET_CHK")
      .defines_from([functions](const ModuleOptions& options) {
        std::string fns;
        for (size_t i = 0; i < functions->size(); i++)
          fns += "KPROBE_FUNCTIONS(" + std::to_string(i) + ") ";
        std::vector<std::string> out{"PROBE_FUNCTIONS=" + fns};
        if (options.number("errno")) out.push_back("ERRNO=" + options.text("errno"));
        return out;
      })
      .probes_from([functions](const ModuleOptions& options, const std::vector<int>&) {
        bool returns = options.flag("latency") || options.flag("ret_chk") ||
                       options.number("errno") != 0;
        std::vector<ProbeChain> chains;
        for (size_t i = 0; i < functions->size(); i++) {
          ProbeAlternative enter = kprobe((*functions)[i]);
          enter.function = "kprobe_enter_" + std::to_string(i);
          chains.push_back({(*functions)[i], {enter}, /*optional=*/true});
          if (!returns) continue;
          ProbeAlternative leave = kretprobe((*functions)[i]);
          leave.function = "kretprobe_leave_" + std::to_string(i);
          chains.push_back({(*functions)[i] + " return", {leave}, /*optional=*/true});
        }
        return chains;
      })
      .metric(stat_metric("kprobe.hits.count", PM_SEM_COUNTER, count_units(),
                          offsetof(kprobe_hits_stats, count), functions, false, "kprobe count",
                          "Calls of each configured kernel function."))
      .metric(stat_metric("kprobe.hits.fail", PM_SEM_COUNTER, count_units(),
                          offsetof(kprobe_hits_stats, fail), functions, false,
                          "kprobe fail count",
                          "Calls that failed: returned -errno (errno option) or a negative "
                          "value (ret_chk option)."))
      .metric(stat_metric("kprobe.hits.latency.avg", PM_SEM_INSTANT, time_units(PM_TIME_NSEC),
                          offsetof(kprobe_hits_stats, latency_ns), functions, true,
                          "kprobe avglatency",
                          "Average time spent in each function, in nanoseconds (latency "
                          "option)."))
      .metric(stat_metric("kprobe.hits.latency.cml", PM_SEM_COUNTER, time_units(PM_TIME_NSEC),
                          offsetof(kprobe_hits_stats, latency_ns), functions, false,
                          "kprobe cmllatency",
                          "Cumulative time spent in each function, in nanoseconds (latency "
                          "option)."))
      .instances_help("kernel functions, or \"pid::function\" with the details option");
}

const bool registered = bcc::register_module("kprobe_hits", kprobe_hits);

}  // namespace
