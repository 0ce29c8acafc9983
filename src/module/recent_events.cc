#include "module/recent_events.h"

#include "module/options.h"
#include "module/table_columns.h"

namespace bcc {

RecentEvents::RecentEvents(std::string capacity_option, std::vector<std::string> columns)
    : capacity_option_(std::move(capacity_option)), columns_(std::move(columns)) {}

void RecentEvents::configure(const ModuleOptions& options) {
  table_.set_capacity(options.number(capacity_option_));
}

void RecentEvents::collect(Maps&, Collection& out) { add_rows(out, columns_, table_.rows()); }

}  // namespace bcc
