#include "pmda/metric_table.h"

#include <algorithm>
#include <stdexcept>
#include <string_view>

#include "pmda/string_limit.h"

namespace bcc {

ClusterData::ClusterData(MetricGroup& group, int domain)
    : group_(group), values_(group.metrics().size()) {
  if (group.has_instances()) {
    // indom serial = cluster, as the Python agent numbered them
    indom_ = pmInDom_build(domain, group.cluster());
    // histogram buckets are a small fixed set whose ids archives rely on:
    // only the other domains (processes, connections, map keys) forget
    instances_ = std::make_unique<InstanceDomain>(
        indom_, group.instance_ids_from_names(),
        Forgetting{group.instance_labels() != InstanceLabels::histogram});
  }
}

void ClusterData::refresh() {
  std::vector<std::vector<Sample>> samples;
  group_.read(samples);

  // every instance any metric has, in first-seen order; each sample's
  // position in that list, so each name is hashed once
  std::vector<const std::string*> names;
  std::unordered_map<std::string_view, size_t> position;
  std::vector<std::vector<size_t>> sample_positions(samples.size());
  for (size_t item = 0; item < samples.size(); item++) {
    sample_positions[item].reserve(samples[item].size());
    for (const Sample& s : samples[item]) {
      if (s.instance.empty()) {
        sample_positions[item].push_back(0);  // singular: not used
        continue;
      }
      auto [at, added] = position.emplace(s.instance, names.size());
      if (added) names.push_back(&s.instance);
      sample_positions[item].push_back(at->second);
    }
  }
  std::vector<int> ids;
  if (instances_) ids = instances_->set_active(names);

  for (size_t item = 0; item < values_.size(); item++) {
    values_[item].clear();
    if (item >= samples.size()) continue;
    for (size_t i = 0; i < samples[item].size(); i++) {
      Sample& s = samples[item][i];
      if (s.instance.empty()) {
        values_[item][PM_IN_NULL] = std::move(s.value);
        continue;
      }
      int id = ids.empty() ? -1 : ids[sample_positions[item][i]];
      if (id >= 0) values_[item][static_cast<unsigned>(id)] = std::move(s.value);
    }
  }
}

const Value* ClusterData::value(unsigned item, unsigned inst) const {
  if (item >= values_.size()) return nullptr;
  auto it = values_[item].find(inst);
  return it == values_[item].end() ? nullptr : &it->second;
}

MetricTable::MetricTable(const std::vector<MetricGroup*>& groups, int domain) : domain_(domain) {
  for (MetricGroup* group : groups) {
    if (group->metrics().empty() || clusters_.count(group->cluster())) continue;
    clusters_[group->cluster()] = std::make_unique<ClusterData>(*group, domain_);
    order_.push_back(group->cluster());
  }
  rebuild();
}

bool MetricTable::add(MetricGroup& group) {
  if (clusters_.count(group.cluster())) return false;
  clusters_[group.cluster()] = std::make_unique<ClusterData>(group, domain_);
  order_.push_back(group.cluster());
  rebuild();
  return true;
}

void MetricTable::remove(unsigned cluster) {
  auto it = clusters_.find(cluster);
  if (it == clusters_.end()) return;
  if (InstanceDomain* instances = it->second->instances())
    instances->forget_all();  // its names are not needed again
  clusters_.erase(it);
  order_.erase(std::find(order_.begin(), order_.end(), cluster));
  rebuild();
}

void MetricTable::rebuild() {
  metrics_.clear();
  indoms_.clear();
  if (names_) pmdaTreeRelease(names_);
  names_ = nullptr;
  pmdaTreeCreate(&names_);
  for (unsigned cluster : order_) {
    ClusterData* data = clusters_[cluster].get();
    MetricGroup* group = &data->group();
    if (data->indom() != PM_INDOM_NULL) {
      pmdaIndom indom{};
      indom.it_indom = data->indom();
      indoms_.push_back(indom);
    }
    for (size_t item = 0; item < group->metrics().size(); item++) {
      const MetricSpec& spec = group->metrics()[item];
      pmdaMetric m{};
      m.m_user = data;
      m.m_desc.pmid = pmID_build(domain_, group->cluster(), item);
      m.m_desc.type = spec.type;
      m.m_desc.indom = spec.has_instances ? data->indom() : PM_INDOM_NULL;
      m.m_desc.sem = spec.semantics;
      m.m_desc.units = spec.units;
      metrics_.push_back(m);
      std::string name = group->prefix() + spec.name;
      pmdaTreeInsert(names_, m.m_desc.pmid, name.c_str());
    }
  }
  // the table is complete: entries no longer move until the next rebuild
  for (pmdaIndom& entry : indoms_)
    if (ClusterData* data = cluster_of_indom(entry.it_indom)) data->instances()->bind(&entry);
  pmdaTreeRebuildHash(names_, static_cast<int>(metrics_.size()));
  if (pmda_) {
    pmdaRehash(pmda_, metrics_.data(), static_cast<int>(metrics_.size()));
    pmda_->e_indoms = indoms_.empty() ? nullptr : indoms_.data();
    pmda_->e_nindoms = static_cast<int>(indoms_.size());
    pmdaExtSetFlags(pmda_, PMDA_EXT_NAMES_CHANGE);
  }
}

MetricTable::~MetricTable() {
  if (names_) pmdaTreeRelease(names_);
}

ClusterData* MetricTable::cluster(unsigned cluster) {
  auto it = clusters_.find(cluster);
  return it == clusters_.end() ? nullptr : it->second.get();
}

ClusterData* MetricTable::cluster_of_indom(pmInDom indom) {
  for (auto& [cluster, data] : clusters_)
    if (data->indom() == indom) return data.get();
  return nullptr;
}

const MetricSpec* MetricTable::spec(pmID pmid) {
  ClusterData* data = cluster(pmID_cluster(pmid));
  if (!data) return nullptr;
  const auto& metrics = data->group().metrics();
  unsigned item = pmID_item(pmid);
  return item < metrics.size() ? &metrics[item] : nullptr;
}

bool to_atom(const Value& value, int type, pmAtomValue* atom) {
  if (type == PM_TYPE_STRING) {
    const auto* s = std::get_if<std::string>(&value);
    if (!s) return false;
    // pmdaFetch copies it before the next call
    atom->cp = const_cast<char*>(within_string_limit(*s).c_str());
    return true;
  }
  double d = 0;
  int64_t i = 0;
  uint64_t u = 0;
  if (const auto* v = std::get_if<uint64_t>(&value)) {
    u = *v;
    i = static_cast<int64_t>(*v);
    d = static_cast<double>(*v);
  } else if (const auto* v = std::get_if<int64_t>(&value)) {
    i = *v;
    u = static_cast<uint64_t>(*v);
    d = static_cast<double>(*v);
  } else if (const auto* v = std::get_if<double>(&value)) {
    d = *v;
    i = static_cast<int64_t>(*v);
    u = static_cast<uint64_t>(*v);
  } else {
    return false;
  }
  switch (type) {
    case PM_TYPE_32: atom->l = static_cast<int32_t>(i); return true;
    case PM_TYPE_U32: atom->ul = static_cast<uint32_t>(u); return true;
    case PM_TYPE_64: atom->ll = i; return true;
    case PM_TYPE_U64: atom->ull = u; return true;
    case PM_TYPE_FLOAT: atom->f = static_cast<float>(d); return true;
    case PM_TYPE_DOUBLE: atom->d = d; return true;
  }
  return false;
}

}  // namespace bcc
