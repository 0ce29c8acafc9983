// The collector of a module that shows its most recent perf-buffer events
// as a table (execsnoop's exec()s, tcplife's sessions): the module's
// event() turns records into rows it keeps in table(), newest first, up to
// a number option; each fetch fills every column's metric (column_metric)
// from one copy of the table (add_rows).
#pragma once

#include <string>
#include <vector>

#include "module/collector.h"
#include "module/event_table.h"

namespace bcc {

class RecentEvents : public Collector {
 public:
  // `capacity_option`: the number option saying how many events to keep;
  // `columns`: the metric each column of a row fills, in row order.
  RecentEvents(std::string capacity_option, std::vector<std::string> columns);

  // Sizes the table; a module overriding it calls it too.
  void configure(const ModuleOptions& options) override;
  void collect(Maps& maps, Collection& out) override;

 protected:
  // Where event() keeps its rows (thread-safe: fetches read it meanwhile).
  EventTable& table() { return table_; }

 private:
  std::string capacity_option_;
  std::vector<std::string> columns_;
  EventTable table_;
};

}  // namespace bcc
