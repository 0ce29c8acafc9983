// The stock collector of per-process counters: hashes keyed by pid whose
// u64 counters are metrics with one instance per key, and whose entries of
// processes that have exited are kept for the module's `exited_grace`
// (module/exited_processes.h).
//
// bioperpid, netproc and tcpperpid are this with an instance name per key;
// a module that names instances from state of its own (netproc's names
// fixed when a process is first seen) derives from it.
#pragma once

#include <string>
#include <vector>

#include "module/collector.h"
#include "module/exited_processes.h"
#include "module/key_decoders.h"

namespace bcc {

class ProcessCounters : public Collector {
 public:
  // A hash keyed by process: where its keys hold the pid, and how a key
  // names its instance ("": the entry is not reported); without a namer,
  // a derived class's instance() names them.
  ProcessCounters& table(std::string name, PidOfKey pid_of, KeyDecoder namer = nullptr);
  // Declares `metric` (make_metric, no reader) as filled by this collector
  // with the u64 at byte `value_offset` of each value of `table` (a plain
  // hash whose program adds atomically); returns it for ModuleSpec::metric.
  MetricSpec field_counter(MetricSpec metric, const std::string& table, size_t value_offset);
  // The same with each value's u64 words summed (a u64 hash, per-CPU
  // copies included).
  MetricSpec summed_counter(MetricSpec metric, const std::string& table);

  // `exited_grace`, and `remove_stopped_processes` where declared.
  void configure(const ModuleOptions& options) override;
  // The exited processes collected, then every counter from one read of
  // each table.
  void collect(Maps& maps, Collection& out) override;

  // The exited processes it keeps (a test sets their running check here).
  ExitedProcesses& exited() { return exited_; }

 protected:
  // The two halves of collect, for a collector that works between them.
  void collect_exited(Maps& maps) { exited_.collect(maps); }
  void fill(Maps& maps, Collection& out);
  // The instance `key` of `table` is reported as ("": not reported): the
  // table's namer's.
  virtual std::string instance(const std::string& table, const std::string& key);

 private:
  struct Counter {
    std::string metric;
    bool summed = false;  // every u64 word of the value, else the one at offset
    size_t offset = 0;
  };
  struct Table {
    std::string name;
    KeyDecoder namer;
    std::vector<Counter> counters;
  };
  Table& find(const std::string& table);
  MetricSpec count(MetricSpec metric, const std::string& table, Counter counter);

  std::vector<Table> tables_;
  ExitedProcesses exited_;
};

}  // namespace bcc
