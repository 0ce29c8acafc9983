// Probe alternatives and the choice among them: for each probe a module
// names an ordered chain (tracepoint first, kprobe last); the first one the
// running kernel offers is compiled in, and the next is tried if it fails.
// User-space probes (uprobes, USDT) name a binary and, optionally, a pid.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace bcc {

enum class ProbeType {
  tracepoint,
  raw_tracepoint,
  kprobe,
  kretprobe,
  uprobe,
  uretprobe,
  usdt,
  perf_event
};

// How often a perf event runs its program: `frequency` samples a second per
// CPU, or one sample every `period` events when frequency is 0; on every CPU
// (cpu = -1) or one.
struct PerfSampling {
  uint64_t frequency = 0;
  uint64_t period = 0;
  int cpu = -1;
};

// A perf event by the name perf(1) gives it: "software:cpu-clock".
struct PerfEventId {
  uint32_t type;
  uint64_t config;
};
std::optional<PerfEventId> perf_event_id(const std::string& name);

struct ProbeAlternative {
  ProbeType type;
  // "sched:sched_switch", "sched_switch", "tcp_set_state", "software:cpu-clock";
  // for uprobes "binary:symbol", for USDT "binary:provider:probe" (binary: a path)
  std::string target;
  std::string function;   // the .bpf function; "" = named by convention
  int pid = -1;           // uprobes and USDT: only this process (-1: all)
  PerfSampling sampling;  // perf events only

  // "tracepoint sched:sched_switch"
  std::string describe() const;
  // The function the .bpf file defines for it, by BCC's own conventions:
  // TRACEPOINT_PROBE(sched, sched_switch) -> tracepoint__sched__sched_switch,
  // RAW_TRACEPOINT_PROBE(x) -> raw_tracepoint__x, kprobe__fn, kretprobe__fn;
  // a perf event "software:cpu-clock" -> perf_event__software_cpu_clock;
  // `function` when set.
  std::string function_name() const;
  // uprobes and USDT: the binary, the symbol (or "provider:probe")
  std::string binary() const;
  std::string symbol() const;
  bool operator<(const ProbeAlternative& o) const {
    if (type != o.type) return type < o.type;
    if (target != o.target) return target < o.target;
    return pid != o.pid ? pid < o.pid : function < o.function;
  }
};

ProbeAlternative tracepoint(std::string category_event);
ProbeAlternative raw_tracepoint(std::string event);
ProbeAlternative kprobe(std::string function);
ProbeAlternative kretprobe(std::string function);
// `binary` is a path ("/proc/PID/root/..." for a process in another mount
// namespace); `function` is the .bpf function to run.
ProbeAlternative uprobe(std::string binary, std::string symbol, std::string function,
                        int pid = -1);
ProbeAlternative uretprobe(std::string binary, std::string symbol, std::string function,
                           int pid = -1);
ProbeAlternative usdt(std::string binary, std::string provider, std::string probe,
                      std::string function, int pid = -1);
// Sampling is set from the module's options (ModuleSpec::perf_sampling).
ProbeAlternative perf_event(std::string event);

const char* type_name(ProbeType type);  // "tracepoint", "raw_tracepoint", ...

struct ProbeChain {
  std::string name;  // "wakeup": the .bpf file tests WAKEUP_TRACEPOINT etc.
  std::vector<ProbeAlternative> alternatives;
  // An optional probe that no alternative can serve leaves the module
  // running without it (state "partial", see Module), instead of failing it.
  bool optional = false;

  // The -D macro that selects `alt` in the program: "WAKEUP_RAW_TRACEPOINT".
  std::string macro(const ProbeAlternative& alt) const;
  // A second -D macro naming the target too, for chains with two
  // alternatives of one type: "START_BLOCK_IO_START" for tracepoint
  // block:block_io_start in chain "start" (the event after ':').
  std::string target_macro(const ProbeAlternative& alt) const;
};

// What the running kernel offers; a fake in unit tests.
class KernelProbes {
 public:
  virtual ~KernelProbes() = default;
  // Empty when available, otherwise why not ("no tracepoint sched:foo in tracefs").
  virtual std::string unavailable(const ProbeAlternative& alt) const = 0;
};

struct ProbeChoice {
  std::optional<size_t> index;  // into chain.alternatives
  std::string why_none;         // every alternative's reason, when none is left
};

// The first alternative the kernel offers that has not already failed.
ProbeChoice choose(const ProbeChain& chain, const KernelProbes& kernel,
                   const std::set<ProbeAlternative>& failed);

}  // namespace bcc
