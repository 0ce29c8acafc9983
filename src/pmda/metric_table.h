// The PMDA's view of the modules: pmdaMetric and pmdaIndom tables, the
// dynamic namespace, and each cluster's latest values. Clusters come and go
// while the agent runs (programs registered through pmstore): every change
// is made under the agent's lock, rebuilds the tables and the namespace, and
// tells pmcd, hence its clients, that the names changed.
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
  MetricTable(const MetricTable&) = delete;
  MetricTable& operator=(const MetricTable&) = delete;

  // The PMDA the tables were given to (pmdaInit): later changes are handed
  // to it (pmdaRehash) and flagged PMDA_EXT_NAMES_CHANGE, which the next
  // fetch's result carries to pmcd.
  void bind(pmdaExt* pmda) { pmda_ = pmda; }
  // Adds the group's cluster; the group must outlive it (see remove). False
  // when its cluster is taken.
  bool add(MetricGroup& group);
  // Removes a cluster's metrics, instance domain and names.
  void remove(unsigned cluster);

  std::vector<pmdaMetric>& metrics() { return metrics_; }
  std::vector<pmdaIndom>& indoms() { return indoms_; }
  pmdaNameSpace* names() { return names_; }
  ClusterData* cluster(unsigned cluster);
  ClusterData* cluster_of_indom(pmInDom indom);
  const MetricSpec* spec(pmID pmid);

 private:
  // metrics_, indoms_ and names_ from clusters_, in order of arrival
  void rebuild();

  int domain_;
  pmdaExt* pmda_ = nullptr;
  std::vector<unsigned> order_;
  std::map<unsigned, std::unique_ptr<ClusterData>> clusters_;
  std::vector<pmdaMetric> metrics_;
  std::vector<pmdaIndom> indoms_;
  pmdaNameSpace* names_ = nullptr;
};

// pmAtomValue from a Value, for the metric's type; false on a mismatch.
bool to_atom(const Value& value, int type, pmAtomValue* atom);

}  // namespace bcc
