// A table as metrics: modules that show rows (their most recent events, a
// ranking of the last interval) declare one metric per column, and their
// collector fills every column from the same rows, row i as instance "i"
// ("0" the newest, or the first ranked), so that each instance is one row.
#pragma once

#include <string>
#include <vector>

#include "module/collector.h"
#include "module/spec.h"

namespace bcc {

// The metric of one column (instant: each fetch shows the rows as they are),
// declared without a reader: the collector fills it with add_rows.
MetricSpec column_metric(std::string name, int type, pmUnits units, std::string oneline,
                         std::string help);
// The same with other semantics: PM_SEM_DISCRETE for a column of pids, as
// pmdabpf declares its tables' pids.
MetricSpec column_metric(std::string name, int type, int semantics, pmUnits units,
                         std::string oneline, std::string help);

// `columns[i]` names the metric column i of every row fills; a metric the
// fetch does not serve is skipped, as is a column a row lacks.
void add_rows(Collection& out, const std::vector<std::string>& columns,
              const std::vector<std::vector<Value>>& rows);

}  // namespace bcc
