#include "module/fetch.h"

#include <exception>

#include "bpf/map_snapshot.h"
#include "module/collector.h"

namespace bcc {

std::vector<FetchError> fetch_values(const ModuleSpec& spec, Maps& program,
                                     const std::vector<bool>& serves,
                                     std::vector<std::vector<Sample>>& out,
                                     std::map<std::string, uint64_t>* entry_counts) {
  const std::vector<MetricSpec>& metrics = spec.metrics();
  out.assign(metrics.size(), {});
  std::vector<FetchError> errors;
  if (entry_counts) entry_counts->clear();
  MapSnapshot maps(program);
  if (spec.collector()) {
    Collection collection(metrics, serves, out);
    try {
      spec.collector()->collect(maps, collection);
    } catch (const std::exception& e) {
      for (size_t i = 0; i < metrics.size(); i++)
        if (!metrics[i].read) out[i].clear();
      errors.push_back({"", e.what()});
    }
  }
  for (size_t i = 0; i < metrics.size(); i++) {
    if (!metrics[i].read || (i < serves.size() && !serves[i])) continue;
    try {
      metrics[i].read(maps, out[i]);
    } catch (const std::exception& e) {
      out[i].clear();
      errors.push_back({metrics[i].name, e.what()});
    }
  }
  if (entry_counts) *entry_counts = maps.entry_counts();
  return errors;
}

}  // namespace bcc
