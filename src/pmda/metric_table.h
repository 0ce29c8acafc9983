// The PMDA's view of the modules: pmdaMetric and pmdaIndom tables, the
// dynamic namespace, and each cluster's latest values.
#pragma once

#include <pcp/pmapi.h>
#include <pcp/pmda.h>

#include <map>
#include <memory>
#include <unordered_map>
#include <vector>

#include "module/group.h"
#include "pmda/instances.h"

namespace bcc {

// One cluster: its group, its instance domain and what was read last.
class ClusterData {
 public:
  ClusterData(MetricGroup& group, int domain);

  MetricGroup& group() { return group_; }
  pmInDom indom() const { return indom_; }
  InstanceDomain* instances() { return instances_.get(); }
  // Reads the group's current values into the table and the instance domain.
  void refresh();
  // The value of metric `item` for `inst` (PM_IN_NULL for singular metrics).
  const Value* value(unsigned item, unsigned inst) const;

 private:
  MetricGroup& group_;
  pmInDom indom_ = PM_INDOM_NULL;
  std::unique_ptr<InstanceDomain> instances_;
  std::vector<std::unordered_map<unsigned, Value>> values_;
};

class MetricTable {
 public:
  // Groups without metrics (misconfigured modules) are skipped.
  MetricTable(const std::vector<MetricGroup*>& groups, int domain);
  ~MetricTable();

  std::vector<pmdaMetric>& metrics() { return metrics_; }
  std::vector<pmdaIndom>& indoms() { return indoms_; }
  pmdaNameSpace* names() { return names_; }
  ClusterData* cluster(unsigned cluster);
  ClusterData* cluster_of_indom(pmInDom indom);
  const MetricSpec* spec(pmID pmid);

 private:
  std::map<unsigned, std::unique_ptr<ClusterData>> clusters_;
  std::vector<pmdaMetric> metrics_;
  std::vector<pmdaIndom> indoms_;
  pmdaNameSpace* names_ = nullptr;
};

// pmAtomValue from a Value, for the metric's type; false on a mismatch.
bool to_atom(const Value& value, int type, pmAtomValue* atom);

}  // namespace bcc
