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
#include "module/collector.h"
#include "module/options.h"
#include "module/probe_list.h"
#include "module/registry.h"

namespace {

using namespace bcc;

// The kernel functions the section lists (function i counted by the
// program's kprobe_enter_i and kretprobe_leave_i), and each fetch's figures
// by function from one read of the stats map.
class KprobeHits : public Collector {
 public:
  void configure(const ModuleOptions& options) override {
    // function names have no ':', so a list is told from a file by the file
    std::string value = options.text("kprobes"), dir = options.config_dir();
    bool file = value.empty() || value.find('/') != std::string::npos ||
                access((dir + "/" + value).c_str(), R_OK) == 0;
    functions_ = file ? read_probe_list(value, dir, "bcc-kprobe.conf") : config::split_list(value);
    if (functions_.empty()) throw config::ConfigError("kprobes: no kernel function given");
    errno_ = options.number("errno") ? options.text("errno") : "";
    returns_ = options.flag("latency") || options.flag("ret_chk") || !errno_.empty();
  }
  std::vector<std::string> defines(const std::vector<int>&) override {
    std::string fns;
    for (size_t i = 0; i < functions_.size(); i++)
      fns += "KPROBE_FUNCTIONS(" + std::to_string(i) + ") ";
    std::vector<std::string> out{"PROBE_FUNCTIONS=" + fns};
    if (!errno_.empty()) out.push_back("ERRNO=" + errno_);
    return out;
  }
  std::vector<ProbeChain> probes(const std::vector<int>&) override {
    std::vector<ProbeChain> chains;
    for (size_t i = 0; i < functions_.size(); i++) {
      ProbeAlternative enter = kprobe(functions_[i]);
      enter.function = "kprobe_enter_" + std::to_string(i);
      chains.push_back({functions_[i], {enter}, /*optional=*/true});
      if (!returns_) continue;
      ProbeAlternative leave = kretprobe(functions_[i]);
      leave.function = "kretprobe_leave_" + std::to_string(i);
      chains.push_back({functions_[i] + " return", {leave}, /*optional=*/true});
    }
    return chains;
  }
  void collect(Maps& bpf, Collection& out) override {
    std::vector<Sample>* count = out.values("kprobe.hits.count");
    std::vector<Sample>* fail = out.values("kprobe.hits.fail");
    std::vector<Sample>* average = out.values("kprobe.hits.latency.avg");
    std::vector<Sample>* cumulative = out.values("kprobe.hits.latency.cml");
    for (const MapEntry& e : read_entries(bpf, "stats")) {
      uint32_t pid = field<uint32_t>(e.key, offsetof(kprobe_hits_key, pid));
      uint32_t index = field<uint32_t>(e.key, offsetof(kprobe_hits_key, index));
      if (index >= functions_.size()) continue;
      std::string instance = (pid ? std::to_string(pid) + "::" : "") + functions_[index];
      uint64_t calls = field<uint64_t>(e.value, offsetof(kprobe_hits_stats, count));
      uint64_t latency = field<uint64_t>(e.value, offsetof(kprobe_hits_stats, latency_ns));
      if (count) count->push_back({instance, calls});
      if (fail)
        fail->push_back({instance, field<uint64_t>(e.value, offsetof(kprobe_hits_stats, fail))});
      if (average) average->push_back({instance, calls ? latency / calls : 0});
      if (cumulative) cumulative->push_back({instance, latency});
    }
  }

 private:
  std::vector<std::string> functions_;
  std::string errno_;     // the errno option's text, "" when 0 (not checked)
  bool returns_ = false;  // return probes too: latency or failures are measured
};

ModuleSpec kprobe_hits() {
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
      .define_if("details", "DETAILS")
      .define_if("latency", "LATENCY")
      .define_if("ret_chk", "RET_CHK")
      .collector(std::make_shared<KprobeHits>())
      .metric(make_metric("kprobe.hits.count", PM_TYPE_U64, PM_SEM_COUNTER, count_units(),
                          "kprobe count", "Calls of each configured kernel function."))
      .metric(make_metric("kprobe.hits.fail", PM_TYPE_U64, PM_SEM_COUNTER, count_units(),
                          "kprobe fail count",
                          "Calls that failed: returned -errno (errno option) or a negative "
                          "value (ret_chk option)."))
      .metric(make_metric("kprobe.hits.latency.avg", PM_TYPE_U64, PM_SEM_INSTANT, time_units(PM_TIME_NSEC),
                          "kprobe avglatency",
                          "Average time spent in each function, in nanoseconds (latency "
                          "option)."))
      .metric(make_metric("kprobe.hits.latency.cml", PM_TYPE_U64, PM_SEM_COUNTER, time_units(PM_TIME_NSEC),
                          "kprobe cmllatency",
                          "Cumulative time spent in each function, in nanoseconds (latency "
                          "option)."))
      .instances_help("kernel functions, or \"pid::function\" with the details option");
}

const bool registered = bcc::register_module("kprobe_hits", kprobe_hits);

}  // namespace
