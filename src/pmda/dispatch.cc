#include "pmda/dispatch.h"

#include <poll.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <set>
#include <vector>

#include "bpf/entry_counter.h"
#include "module/histogram.h"
#include "system/log_limit.h"

namespace bcc {

namespace {

Served* served = nullptr;

std::chrono::steady_clock::time_point fetch_began;

// Refreshes each requested cluster once (the modules' before the groups that
// report on them), then lets pmdaFetch build the result.
int fetch(int numpmid, pmID pmidlist[], pmResult** resp, pmdaExt* pmda) {
  std::lock_guard<std::recursive_mutex> hold(served->lock());
  fetch_began = std::chrono::steady_clock::now();
  begin_counting_fetch();
  std::set<unsigned> requested;
  for (int i = 0; i < numpmid; i++) requested.insert(pmID_cluster(pmidlist[i]));
  std::vector<unsigned> clusters(requested.begin(), requested.end());
  std::stable_partition(clusters.begin(), clusters.end(), [](unsigned c) {
    ClusterData* data = served->table().cluster(c);
    return !data || !data->group().reads_after_modules();
  });
  for (unsigned c : clusters) {
    if (ClusterData* data = served->table().cluster(c)) data->refresh();
    served->cluster_fetched(c);
  }
  return pmdaFetch(numpmid, pmidlist, resp, pmda);
}

int fetch_value(pmdaMetric* metric, unsigned int inst, pmAtomValue* atom) {
  auto* data = static_cast<ClusterData*>(metric->m_user);
  unsigned item = pmID_item(metric->m_desc.pmid);
  const Value* value = data ? data->value(item, inst) : nullptr;
  // Metrics of one module share its instance domain but need not all have a
  // value for each instance (a caller seen waiting but not yet holding, a
  // metric whose probe the kernel lacks): no value, not an error that would
  // fail the whole fetch.
  if (!value) return PMDA_FETCH_NOVALUES;
  return to_atom(*value, metric->m_desc.type, atom) ? PMDA_FETCH_STATIC : PM_ERR_TYPE;
}

// The tables change while the agent runs: every callback that reads them
// holds the agent's lock, pmdaDesc included.
int desc(pmID id, pmDesc* out, pmdaExt* pmda) {
  std::lock_guard<std::recursive_mutex> hold(served->lock());
  return pmdaDesc(id, out, pmda);
}

int instance(pmInDom indom, int inst, char* name, pmInResult** result, pmdaExt* pmda) {
  std::lock_guard<std::recursive_mutex> hold(served->lock());
  begin_counting_fetch();  // the maps are read: counted anew, as for a fetch
  if (ClusterData* data = served->table().cluster_of_indom(indom)) data->refresh();
  return pmdaInstance(indom, inst, name, result, pmda);
}

int text(int ident, int type, char** buffer, pmdaExt* pmda) {
  std::lock_guard<std::recursive_mutex> hold(served->lock());
  static std::string indom_help, metric_help;
  if (type & PM_TEXT_PMID) {
    const MetricSpec* spec = served->table().spec(static_cast<pmID>(ident));
    if (!spec) return PM_ERR_PMID;
    if ((type & PM_TEXT_ONELINE) || spec->help.empty()) {
      *buffer = const_cast<char*>(spec->oneline.c_str());
      return 0;
    }
    metric_help = spec->help;
    if (ClusterData* data = served->table().cluster(pmID_cluster(static_cast<pmID>(ident)))) {
      std::string note = data->group().help_note();
      if (!note.empty()) metric_help += "\n\n" + note;
    }
    *buffer = const_cast<char*>(metric_help.c_str());
    return 0;
  }
  if (type & PM_TEXT_INDOM) {
    ClusterData* data = served->table().cluster_of_indom(static_cast<pmInDom>(ident));
    if (!data) return PM_ERR_INDOM;
    indom_help = data->group().instances_help();
    *buffer = const_cast<char*>(indom_help.c_str());
    return 0;
  }
  return pmdaText(ident, type, buffer, pmda);
}

// pmstore: each value goes to its metric's group, which hands it on (a
// module to its collector's store); metrics that take no value refuse with
// PM_ERR_PERMISSION.
int store(pmResult* result, pmdaExt* pmda) {
  std::lock_guard<std::recursive_mutex> hold(served->lock());
  std::string refusal = served->store_access().refusal(pmdaGetContext());
  if (!refusal.empty()) {
    // any local user can store as often as they like
    static LogLimit refusals(5, std::chrono::seconds(60));
    std::string note;
    if (refusals.allow(&note))
      pmNotifyErr(LOG_WARNING, "pmstore refused: %s%s", refusal.c_str(), note.c_str());
    return PM_ERR_PERMISSION;
  }
  int status = 0;
  for (int i = 0; i < result->numpmid && status == 0; i++) {
    pmValueSet* vset = result->vset[i];
    ClusterData* data = served->table().cluster(pmID_cluster(vset->pmid));
    const MetricSpec* spec = served->table().spec(vset->pmid);
    if (!data || !spec) return PM_ERR_PMID;
    for (int j = 0; j < vset->numval && status == 0; j++) {
      std::string instance;
      if (spec->has_instances) {
        const char* name = data->instances() ? data->instances()->name(vset->vlist[j].inst) : nullptr;
        if (!name) return PM_ERR_INST;
        instance = name;
      }
      pmAtomValue atom;
      int rc = pmExtractValue(vset->valfmt, &vset->vlist[j], spec->type, &atom, spec->type);
      if (rc < 0) return rc;
      Value value;
      switch (spec->type) {
        case PM_TYPE_STRING:
          value = std::string(atom.cp ? atom.cp : "");
          free(atom.cp);
          break;
        case PM_TYPE_U32: value = uint64_t{atom.ul}; break;
        case PM_TYPE_U64: value = uint64_t{atom.ull}; break;
        case PM_TYPE_32: value = int64_t{atom.l}; break;
        case PM_TYPE_64: value = int64_t{atom.ll}; break;
        case PM_TYPE_FLOAT: value = double{atom.f}; break;
        case PM_TYPE_DOUBLE: value = atom.d; break;
        default: return PM_ERR_TYPE;
      }
      status = data->group().store(pmID_item(vset->pmid), instance, value);
    }
  }
  return status;
}

// pmcd passes each client context's credentials (PMDA_FLAG_AUTHORIZE).
int attribute(int context, int attr, const char* value, int length, pmdaExt* pmda) {
  int status = pmdaAttribute(context, attr, value, length, pmda);
  if (status < 0) return status;
  if (attr == PMDA_ATTR_USERID) {
    std::lock_guard<std::recursive_mutex> hold(served->lock());
    served->store_access().set_user(context, static_cast<uid_t>(atoi(value)));
  }
  return 0;
}

void end_context(int context) {
  std::lock_guard<std::recursive_mutex> hold(served->lock());
  served->store_access().end_context(context);
  served->context_ended(context);
}

int label(int ident, int type, pmLabelSet** labels, pmdaExt* pmda) {
  std::lock_guard<std::recursive_mutex> hold(served->lock());
  if (type == PM_LABEL_CLUSTER) {
    if (ClusterData* data = served->table().cluster(pmID_cluster(static_cast<pmID>(ident))))
      pmdaAddLabels(labels, "{\"bcc_module\":\"%s\"}", data->group().name().c_str());
  } else if (type == PM_LABEL_INDOM) {
    ClusterData* data = served->table().cluster_of_indom(static_cast<pmInDom>(ident));
    if (data && data->group().instance_labels() == InstanceLabels::histogram)
      pmdaAddLabels(labels, "{\"statistic\":\"histogram\"}");
  }
  return pmdaLabel(ident, type, labels, pmda);
}

int instance_labels(pmInDom indom, unsigned int inst, pmLabelSet** labels) {
  std::lock_guard<std::recursive_mutex> hold(served->lock());
  ClusterData* data = served->table().cluster_of_indom(indom);
  if (!data || data->group().instance_labels() != InstanceLabels::histogram) return 0;
  const char* name = data->instances()->name(inst);
  auto bounds = name ? bucket_bounds(name) : std::nullopt;
  if (!bounds) return 0;
  return pmdaAddLabels(labels, "{\"lower_bound\":%llu,\"upper_bound\":%llu}",
                       static_cast<unsigned long long>(bounds->first),
                       static_cast<unsigned long long>(bounds->second));
}

int pmid(const char* name, pmID* out, pmdaExt* pmda) {
  std::lock_guard<std::recursive_mutex> hold(served->lock());
  return pmdaTreePMID(served->table().names(), name, out);
}

int name(pmID id, char*** names, pmdaExt* pmda) {
  std::lock_guard<std::recursive_mutex> hold(served->lock());
  return pmdaTreeName(served->table().names(), id, names);
}

int children(const char* name, int traverse, char*** kids, int** status, pmdaExt* pmda) {
  std::lock_guard<std::recursive_mutex> hold(served->lock());
  return pmdaTreeChildren(served->table().names(), name, traverse, kids, status);
}

}  // namespace

std::chrono::steady_clock::time_point current_fetch_began() { return fetch_began; }

void install_callbacks(pmdaInterface& dispatch, Served& target) {
  served = &target;
  dispatch.version.seven.fetch = fetch;
  dispatch.version.seven.desc = desc;
  dispatch.version.seven.instance = instance;
  dispatch.version.seven.text = text;
  dispatch.version.seven.store = store;
  dispatch.version.seven.attribute = attribute;
  pmdaSetEndContextCallBack(&dispatch, end_context);
  pmdaSetCommFlags(&dispatch, PMDA_FLAG_AUTHORIZE);
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
  table.bind(dispatch.version.any.ext);
}

bool discard_early_credentials(pmdaInterface& dispatch, Served& target) {
  // pmcd writes them right after its answer to our credentials, which
  // pmdaConnect read; wait a little for the last of them
  pollfd in{dispatch.version.any.ext->e_infd, POLLIN, 0};
  while (poll(&in, 1, 50) > 0) {
    if (in.revents & (POLLERR | POLLNVAL)) return false;
    if (__pmdaMainPDU(&dispatch) < 0) return false;
  }
  std::lock_guard<std::recursive_mutex> hold(target.lock());
  size_t n = target.store_access().forget_all();
  if (n)
    pmNotifyErr(LOG_INFO, "forgot the credentials of %zu client context(s) connected while the "
                "agent started; they must reconnect to store", n);
  return true;
}

}  // namespace bcc
