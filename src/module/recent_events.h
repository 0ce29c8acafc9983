// The collector of a module that shows its most recent perf-buffer events
// as a table (execsnoop's exec()s, tcplife's sessions): the module's
// event() turns records into rows it keeps in table(), newest first, up to
// a number option; each fetch fills every column's metric (column_metric)
// from one copy of the table (add_rows), and the module's own count of
// events the kernel dropped (lost_events_metric), when it declares one.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "module/collector.h"
#include "module/event_table.h"

namespace bcc {

// A module's count of the events its perf buffers dropped (U32 counter,
// singular, as pmdabpf's `bpf.<module>.lost`), filled by RecentEvents.
MetricSpec lost_events_metric(std::string name);

class RecentEvents : public Collector {
 public:
  // `capacity_option`: the number option saying how many events to keep;
  // `columns`: the metric each column of a row fills, in row order;
  // `lost_metric`: a lost_events_metric the module declares, or "".
  RecentEvents(std::string capacity_option, std::vector<std::string> columns,
               std::string lost_metric = "");

  // Sizes the table; a module overriding it calls it too.
  void configure(const ModuleOptions& options) override;
  void lost(const std::string& table, uint64_t count) override;
  void collect(Maps& maps, Collection& out) override;

 protected:
  // Where event() keeps its rows (thread-safe: fetches read it meanwhile).
  EventTable& table() { return table_; }

 private:
  std::string capacity_option_;
  std::vector<std::string> columns_;
  std::string lost_metric_;
  EventTable table_;
  std::atomic<uint64_t> lost_{0};  // since the module was configured
};

}  // namespace bcc
