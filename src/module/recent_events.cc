#include "module/recent_events.h"

#include "module/options.h"
#include "module/table_columns.h"

namespace bcc {

MetricSpec lost_events_metric(std::string name) {
  MetricSpec metric =
      make_metric(std::move(name), PM_TYPE_U32, PM_SEM_COUNTER, count_units(), "lost events",
                  "Events the kernel dropped because the module's perf buffer was full, since "
                  "the module started (also in bcc.pmda.module.lost_events). A larger "
                  "buffer_page_count keeps more.");
  metric.has_instances = false;
  return metric;
}

RecentEvents::RecentEvents(std::string capacity_option, std::vector<std::string> columns,
                           std::string lost_metric)
    : capacity_option_(std::move(capacity_option)),
      columns_(std::move(columns)),
      lost_metric_(std::move(lost_metric)) {}

void RecentEvents::configure(const ModuleOptions& options) {
  table_.set_capacity(options.number(capacity_option_));
}

void RecentEvents::lost(const std::string&, uint64_t count) { lost_ += count; }

void RecentEvents::collect(Maps&, Collection& out) {
  add_rows(out, columns_, table_.rows());
  // U32, as pmdabpf's counter: it wraps, which PCP's counter semantics allow
  if (!lost_metric_.empty()) out.add(lost_metric_, "", uint64_t{static_cast<uint32_t>(lost_)});
}

}  // namespace bcc
