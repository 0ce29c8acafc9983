// What the generic probe-counting modules share (tracepoint_hits,
// uprobe_hits, usdt_hits, usdt_jvm_threads, all on modules/hit_counter.bpf):
// probe i runs the function hit_<i>, which counts into slot i of the
// per-CPU array `hits`.
#pragma once

#include <string>
#include <vector>

#include "module/collector.h"
#include "module/spec.h"

namespace bcc {

// The .bpf function counting probe `index`: "hit_3".
std::string hit_function(size_t index);

// PROBE_COUNT and PROBE_FUNCTIONS for `count` probes (at least one slot).
std::vector<std::string> hit_counter_defines(size_t count);

// A counter with one instance per probe the module's options list, filled
// by its HitCounters collector.
MetricSpec hit_counter(std::string name, std::string oneline, std::string help);

// The collector of a module counting the probes its options list: the
// module's configure parses the list and names the slots (count_slots), its
// probes() attaches probe i to hit_function(i); this defines the program's
// functions for them and fills the counter `metric`, one instance per
// named slot.
class HitCounters : public Collector {
 public:
  explicit HitCounters(std::string metric) : metric_(std::move(metric)) {}
  std::vector<std::string> defines(const std::vector<int>& pids) override;
  void collect(Maps& maps, Collection& out) override;

 protected:
  // The probes option `option` lists (module/probe_list.h; `default_file`
  // when unset). Throws config::ConfigError when it lists none, saying
  // what a probe is ("tracepoint").
  static std::vector<std::string> listed(const ModuleOptions& options, const std::string& option,
                                         const std::string& default_file,
                                         const std::string& what);

  // The instance name of each slot, in slot order; "" leaves a slot out.
  void count_slots(std::vector<std::string> names) { slots_ = std::move(names); }
  // A slot per probe "a:b" of `probes` (library:symbol, path:probe), named
  // "a::b". Throws config::ConfigError for a probe without both parts, in
  // the words of `option` and its `form`.
  void count_pairs(const std::vector<std::string>& probes, const std::string& option,
                   const std::string& form);
  const std::vector<std::string>& slots() const { return slots_; }

 private:
  std::string metric_;
  std::vector<std::string> slots_;
};

// A singular counter: the hits of probe `index` alone.
MetricSpec hit_total(std::string name, size_t index, std::string oneline, std::string help);

}  // namespace bcc
