// A stateful module's run-time half as one class: the state it keeps
// (members, not state captured by closures) and how each fetch turns one
// snapshot of its maps into its metrics' values.
//
// Simple modules need none: their metrics' stock readers (module/metrics.h:
// histograms, hash counters, array totals, event rings) say everything. A
// module with state (names it caches, exited processes, tables it ranks,
// perf-buffer events it joins) declares its metrics without readers and
// hands ModuleSpec::collector an instance of its Collector; the agent
// calls it at each stage of the module's life (modules/README.md).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bpf/maps.h"
#include "bpf/probe.h"
#include "module/spec.h"

namespace bcc {

class ModuleOptions;

// Where a collector puts one fetch's values: the list of each metric it
// fills, by the metric's name as declared ("proc.io.perdev.pid").
class Collection {
 public:
  Collection(const std::vector<MetricSpec>& metrics, const std::vector<bool>& serves,
             std::vector<std::vector<Sample>>& out)
      : metrics_(metrics), serves_(serves), out_(out) {}

  // nullptr when the metric has no values in this fetch (an optional probe
  // it needs is missing). Throws std::logic_error for a metric the module
  // does not declare, or one a stock reader fills: a mistake in the module.
  std::vector<Sample>* values(std::string_view metric);
  void add(std::string_view metric, std::string instance, Value value);

 private:
  const std::vector<MetricSpec>& metrics_;
  const std::vector<bool>& serves_;
  std::vector<std::vector<Sample>>& out_;
};

class Collector {
 public:
  virtual ~Collector() = default;

  // The section's options, once, before anything is compiled. May throw
  // config::ConfigError (the module fails with that reason).
  virtual void configure(const ModuleOptions& options) {}
  // Each time the module is armed, for the pids it is armed for (empty when
  // it follows none): -D macros and probes computed from what configure
  // kept (probe lists it parsed, the language a process runs), which
  // ModuleSpec::defines and ::probes add after the declared ones. defines
  // comes first for the same pids; it may throw config::ConfigError (a
  // process the module cannot follow), which fails the module with that
  // reason until the processes change. Before configure (a declaration
  // looked at, never run) they must return what an empty state gives.
  virtual std::vector<std::string> defines(const std::vector<int>& pids) { return {}; }
  virtual std::vector<ProbeChain> probes(const std::vector<int>& pids) { return {}; }
  // The program's probes are attached (each time it is armed): "" or an
  // error that fails the module.
  virtual std::string attached(Maps& program) { return ""; }
  // The optional probes the module runs without this time (empty: none).
  virtual void running_without(const std::vector<std::string>& probes) {}
  // A record of perf buffer `table` (ModuleSpec::events), on the thread
  // that drains the module's buffers: not the fetch's thread.
  virtual void event(const std::string& table, const void* data, int size) {}
  // `count` records of perf buffer `table` the kernel dropped because the
  // buffer was full (also counted in bcc.pmda.module.lost_events), on the
  // same thread as event().
  virtual void lost(const std::string& table, uint64_t count) {}
  // Once per fetch, on one snapshot of the program's maps, before the stock
  // readers (so it may prune what they read). May throw std::exception:
  // the metrics it fills then have no values in that fetch. A collector
  // whose module's metrics all have stock readers (one that only computes
  // probes, or checks maps once attached) fills none.
  virtual void collect(Maps& maps, Collection& out) {}
  // A value pmstore sends to one of the module's storable metrics
  // (MetricSpec::storable), with the program running: 0, or a PCP error
  // (PM_ERR_BADSTORE for a value it does not accept). `instance` is "" for
  // a singular metric. May throw std::exception (logged; PM_ERR_BADSTORE).
  virtual int store(Maps& maps, std::string_view metric, const std::string& instance,
                    const Value& value) {
    return PM_ERR_PERMISSION;
  }
};

}  // namespace bcc
