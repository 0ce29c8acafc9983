// klockstat: kernel mutex wait ("spin") and hold times per caller, as BCC's
// klockstat tool measures them.
#include <map>
#include <memory>

#include "bpf/symbols.h"
#include "bpf/tables.h"
#include "lock_callers.h"
#include "module/collector.h"
#include "module/metrics.h"
#include "module/options.h"
#include "module/registry.h"

namespace {

using namespace bcc;

// Names stacks by caller (cached: stack ids are never reused) and turns
// the spin and hold hashes into figures per caller at each fetch.
class LockTimesByCaller : public Collector {
 public:
  void configure(const ModuleOptions& o) override {
    depth_ = o.number("stack_depth");
    offsets_ = o.flag("use_caller_offset");
    filter_ = o.text("caller_filter");
  }
  // callers are named from kallsyms: read it now, not at a fetch
  std::string attached(Maps&) override {
    preload_kernel_symbols();
    return "";
  }
  void collect(Maps& bpf, Collection& out) override {
    for (const char* half : {"spin", "hold"}) {
      std::string prefix = std::string("kernel.lock.mutex.") + half + ".";
      std::vector<Sample>* avg = out.values(prefix + "avg");
      std::vector<Sample>* count = out.values(prefix + "count");
      std::vector<Sample>* max = out.values(prefix + "max");
      std::vector<Sample>* total = out.values(prefix + "total");
      if (!avg && !count && !max && !total) continue;  // the probe it needs is missing
      for (const auto& [caller, t] : read(bpf, half)) {
        if (avg) avg->push_back({caller, t.average()});
        if (count) count->push_back({caller, t.count});
        if (max) max->push_back({caller, t.max});
        if (total) total->push_back({caller, t.total});
      }
    }
  }

 private:
  const std::string& name(Maps& bpf, int stack_id) {
    auto it = names_.find(stack_id);
    if (it != names_.end()) return it->second;
    std::vector<std::string> frames;
    for (uint64_t a : stack_addresses(bpf, "stack_traces", stack_id))
      frames.push_back(symbols_.kernel(a, offsets_));
    return names_[stack_id] = lock_caller(frames, depth_);
  }

  // One half ("spin", "hold") of the program's figures, by caller.
  std::map<std::string, LockTimes> read(Maps& bpf, const std::string& half) {
    std::map<int, LockTimes> by_stack;
    for (auto& [key, v] : read_u64_hash(bpf, half + "_count")) by_stack[field<int32_t>(key, 0)].count = v;
    for (auto& [key, v] : read_u64_hash(bpf, half + "_total")) by_stack[field<int32_t>(key, 0)].total = v;
    for (auto& [key, v] : read_u64_hash(bpf, half + "_max")) by_stack[field<int32_t>(key, 0)].max = v;
    std::map<std::string, LockTimes> out;
    for (const auto& [id, times] : by_stack) {
      if (times.count == 0) continue;
      const std::string& caller = name(bpf, id);
      if (!filter_.empty() && caller.find(filter_) == std::string::npos) continue;
      out[caller].add(times);
    }
    return out;
  }

  Symbols symbols_;
  std::map<int, std::string> names_;  // stack id -> caller
  size_t depth_ = 1;
  bool offsets_ = false;
  std::string filter_;
};

MetricSpec figure(const std::string& half, const std::string& what, std::string oneline,
                  std::string help) {
  bool time = what != "count";
  bool instant = what == "avg" || what == "max";
  MetricSpec m = make_metric("kernel.lock.mutex." + half + "." + what, PM_TYPE_U64,
                             instant ? PM_SEM_INSTANT : PM_SEM_COUNTER,
                             time ? time_units(PM_TIME_NSEC) : count_units(), std::move(oneline),
                             std::move(help));
  if (half == "hold") m.needs_probes = {"release"};
  return m;
}

const char* kSpin =
    "Time to acquire kernel mutexes, by caller. With kprobes, every mutex_lock from entry "
    "to return; without them, the lock:contention_begin/contention_end tracepoints time "
    "only acquisitions that had to wait (contended), the uncontended fast path is not seen.";
const char* kHold =
    "Time kernel mutexes were held, from mutex_lock's return to mutex_unlock, by caller. "
    "Needs kprobes on mutex_lock and mutex_unlock: no tracepoint marks a mutex release.";

ModuleSpec klockstat() {
  auto spec = ModuleSpec("klockstat")
                  .summary("kernel mutex wait and hold times by caller")
                  .program("klockstat.bpf")
                  .option(text_option("process", "only these processes (names, pids, regexes)"))
                  .option(text_option("caller_filter", "only callers whose name contains this"))
                  .option(number_option("stack_depth", 1, "callers in an instance name", 1, 64))
                  .option(number_option("stack_storage_size", 16384,
                                        "distinct stacks the kernel keeps", 1, 1u << 20))
                  .option(flag_option("use_caller_offset",
                                      "name callers with their offset (func+0x1f)"))
                  .process_filter()
                  .defines_from([](const ModuleOptions& o) {
                    return std::vector<std::string>{
                        "STACK_STORAGE_SIZE=" + std::to_string(o.number("stack_storage_size"))};
                  })
                  // kprobes first: they see every acquisition, as the original tool did
                  .probe("acquire", {kprobe("mutex_lock"), tracepoint("lock:contention_begin")})
                  .probe("acquired",
                         {kretprobe("mutex_lock"), tracepoint("lock:contention_end")})
                  .optional_probe("release", {kprobe("mutex_unlock")})
                  .collector(std::make_shared<LockTimesByCaller>())
                  .instances_help(
                      "callers of kernel mutexes: the function that took the mutex, then "
                      "its callers up to stack_depth, joined by '+'");
  for (const char* half : {"spin", "hold"}) {
    std::string h = half;
    const char* help = h == "spin" ? kSpin : kHold;
    spec.metric(figure(h, "avg", h + " avg",
                       std::string(help) + " Average in nanoseconds: total / count."))
        .metric(figure(h, "count", h + " count",
                       std::string(help) + " Number of acquisitions."))
        .metric(figure(h, "max", h + " max",
                       std::string(help) + " Longest, in nanoseconds."))
        .metric(figure(h, "total", h + " total",
                       std::string(help) + " Sum, in nanoseconds."));
  }
  return spec;
}

const bool registered = register_module("klockstat", klockstat);

}  // namespace
