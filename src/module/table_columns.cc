#include "module/table_columns.h"

namespace bcc {

MetricSpec column_metric(std::string name, int type, pmUnits units, std::string oneline,
                         std::string help) {
  return column_metric(std::move(name), type, PM_SEM_INSTANT, units, std::move(oneline),
                       std::move(help));
}

MetricSpec column_metric(std::string name, int type, int semantics, pmUnits units,
                         std::string oneline, std::string help) {
  return make_metric(std::move(name), type, semantics, units, std::move(oneline),
                     std::move(help));
}

void add_rows(Collection& out, const std::vector<std::string>& columns,
              const std::vector<std::vector<Value>>& rows) {
  for (size_t c = 0; c < columns.size(); c++) {
    std::vector<Sample>* values = out.values(columns[c]);
    if (!values) continue;
    for (size_t r = 0; r < rows.size(); r++)
      if (c < rows[r].size()) values->push_back({std::to_string(r), rows[r][c]});
  }
}

}  // namespace bcc
