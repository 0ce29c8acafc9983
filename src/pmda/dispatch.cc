#include "pmda/dispatch.h"

#include <mutex>
#include <set>

#include "agent.h"
#include "bpf/histogram.h"

namespace bcc {

namespace {

Agent* agent = nullptr;

// Refreshes each requested cluster once, then lets pmdaFetch build the result.
int fetch(int numpmid, pmID pmidlist[], pmResult** resp, pmdaExt* pmda) {
  std::lock_guard<std::recursive_mutex> hold(agent->lock());
  std::set<unsigned> clusters;
  for (int i = 0; i < numpmid; i++) clusters.insert(pmID_cluster(pmidlist[i]));
  for (unsigned c : clusters)
    if (ClusterData* data = agent->table().cluster(c)) data->refresh();
  return pmdaFetch(numpmid, pmidlist, resp, pmda);
}

int fetch_value(pmdaMetric* metric, unsigned int inst, pmAtomValue* atom) {
  auto* data = static_cast<ClusterData*>(metric->m_user);
  unsigned item = pmID_item(metric->m_desc.pmid);
  const Value* value = data ? data->value(item, inst) : nullptr;
  if (!value) return metric->m_desc.indom == PM_INDOM_NULL ? PMDA_FETCH_NOVALUES : PM_ERR_INST;
  return to_atom(*value, metric->m_desc.type, atom) ? PMDA_FETCH_STATIC : PM_ERR_TYPE;
}

int instance(pmInDom indom, int inst, char* name, pmInResult** result, pmdaExt* pmda) {
  std::lock_guard<std::recursive_mutex> hold(agent->lock());
  if (ClusterData* data = agent->table().cluster_of_indom(indom)) data->refresh();
  return pmdaInstance(indom, inst, name, result, pmda);
}

int text(int ident, int type, char** buffer, pmdaExt* pmda) {
  std::lock_guard<std::recursive_mutex> hold(agent->lock());
  static std::string indom_help;
  if (type & PM_TEXT_PMID) {
    const MetricSpec* spec = agent->table().spec(static_cast<pmID>(ident));
    if (!spec) return PM_ERR_PMID;
    const std::string& t = (type & PM_TEXT_ONELINE) || spec->help.empty() ? spec->oneline : spec->help;
    *buffer = const_cast<char*>(t.c_str());
    return 0;
  }
  if (type & PM_TEXT_INDOM) {
    ClusterData* data = agent->table().cluster_of_indom(static_cast<pmInDom>(ident));
    if (!data) return PM_ERR_INDOM;
    indom_help = data->group().instances_help();
    *buffer = const_cast<char*>(indom_help.c_str());
    return 0;
  }
  return pmdaText(ident, type, buffer, pmda);
}

int label(int ident, int type, pmLabelSet** labels, pmdaExt* pmda) {
  std::lock_guard<std::recursive_mutex> hold(agent->lock());
  if (type == PM_LABEL_CLUSTER) {
    if (ClusterData* data = agent->table().cluster(pmID_cluster(static_cast<pmID>(ident))))
      pmdaAddLabels(labels, "{\"bcc_module\":\"%s\"}", data->group().name().c_str());
  } else if (type == PM_LABEL_INDOM) {
    ClusterData* data = agent->table().cluster_of_indom(static_cast<pmInDom>(ident));
    if (data && data->group().instance_labels() == InstanceLabels::histogram)
      pmdaAddLabels(labels, "{\"statistic\":\"histogram\"}");
  }
  return pmdaLabel(ident, type, labels, pmda);
}

int instance_labels(pmInDom indom, unsigned int inst, pmLabelSet** labels) {
  std::lock_guard<std::recursive_mutex> hold(agent->lock());
  ClusterData* data = agent->table().cluster_of_indom(indom);
  if (!data || data->group().instance_labels() != InstanceLabels::histogram) return 0;
  const char* name = data->instances()->name(inst);
  auto bounds = name ? bucket_bounds(name) : std::nullopt;
  if (!bounds) return 0;
  return pmdaAddLabels(labels, "{\"lower_bound\":%llu,\"upper_bound\":%llu}",
                       static_cast<unsigned long long>(bounds->first),
                       static_cast<unsigned long long>(bounds->second));
}

int pmid(const char* name, pmID* out, pmdaExt* pmda) {
  return pmdaTreePMID(agent->table().names(), name, out);
}

int name(pmID id, char*** names, pmdaExt* pmda) {
  return pmdaTreeName(agent->table().names(), id, names);
}

int children(const char* name, int traverse, char*** kids, int** status, pmdaExt* pmda) {
  return pmdaTreeChildren(agent->table().names(), name, traverse, kids, status);
}

}  // namespace

void install_callbacks(pmdaInterface& dispatch, Agent& target) {
  agent = &target;
  dispatch.version.seven.fetch = fetch;
  dispatch.version.seven.instance = instance;
  dispatch.version.seven.text = text;
  dispatch.version.seven.label = label;
  dispatch.version.seven.pmid = pmid;
  dispatch.version.seven.name = name;
  dispatch.version.seven.children = children;
  pmdaSetFetchCallBack(&dispatch, fetch_value);
  pmdaSetLabelCallBack(&dispatch, instance_labels);
  pmdaSetFlags(&dispatch, PMDA_EXT_FLAG_HASHED);

  MetricTable& table = target.table();
  pmdaInit(&dispatch, table.indoms().empty() ? nullptr : table.indoms().data(),
           static_cast<int>(table.indoms().size()), table.metrics().data(),
           static_cast<int>(table.metrics().size()));
}

}  // namespace bcc
