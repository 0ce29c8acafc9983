#include "pmda/instances.h"

#include "module/process_instances.h"

namespace bcc {

InstanceDomain::InstanceDomain(pmInDom indom, bool ids_from_names, Forgetting forgetting)
    : indom_(indom), ids_from_names_(ids_from_names), forgetting_(forgetting) {
  if (ids_from_names_) return;  // no pmdaCache: pmdaFetch then walks the pmdaIndom entry
  // a missing saved cache is normal on the first start
  pmdaCacheOp(indom_, PMDA_CACHE_LOAD);
  pmdaCacheOp(indom_, PMDA_CACHE_INACTIVE);
}

void InstanceDomain::bind(pmdaIndom* entry) {
  if (!ids_from_names_) return;
  entry_ = entry;
  if (entry_) {
    entry_->it_numinst = static_cast<int>(set_.size());
    entry_->it_set = set_.data();
  }
}

std::vector<int> InstanceDomain::set_numbered(const std::vector<const std::string*>& names) {
  std::vector<int> ids;
  ids.reserve(names.size());
  names_.clear();
  for (const std::string* name : names) {
    int id = leading_number(*name);
    ids.push_back(id);
    if (id < 0)
      pmNotifyErr(LOG_ERR, "instance domain %s: \"%s\" does not start with a number",
                  pmInDomStr(indom_), name->c_str());
    else
      names_.push_back(*name);
  }
  set_.clear();
  for (size_t i = 0, n = 0; i < names.size(); i++)
    if (ids[i] >= 0) set_.push_back({ids[i], const_cast<char*>(names_[n++].c_str())});
  bind(entry_);
  return ids;
}

std::vector<int> InstanceDomain::set_active(const std::vector<const std::string*>& names) {
  if (ids_from_names_) return set_numbered(names);
  std::vector<int> ids;
  ids.reserve(names.size());
  bool changed = false;
  pmdaCacheOp(indom_, PMDA_CACHE_INACTIVE);
  for (const std::string* name : names) {
    int inst = -1;
    if (pmdaCacheLookupName(indom_, name->c_str(), &inst, nullptr) < 0) changed = true;
    inst = pmdaCacheStore(indom_, PMDA_CACHE_ADD, name->c_str(), nullptr);
    if (inst < 0) {
      pmNotifyErr(LOG_ERR, "instance domain %s: cannot add \"%s\": %s", pmInDomStr(indom_),
                  name->c_str(), pmErrStr(inst));
    }
    ids.push_back(inst);
  }
  // processes and connections come and go: without a purge the cache (and
  // its saved copy) would grow for the agent's whole uptime
  auto now = std::chrono::steady_clock::now();
  if (forgetting_.enabled && now >= next_purge_) {
    next_purge_ = now + forgetting_.check_every;
    // SYNC stamps the names active since the last save with the time; the
    // purge drops those stamped longer ago from the cache and its saved
    // copy. No PMDA_CACHE_REORG to free them: libpcp_pmda's reorganisation
    // leaves the cache's "last entry" pointing at freed memory when that
    // entry was purged, and the next new name then reads it.
    pmdaCacheOp(indom_, PMDA_CACHE_SYNC);
    if (pmdaCachePurge(indom_, forgetting_.after_seconds) > 0) changed = true;
  }
  if (changed) pmdaCacheOp(indom_, PMDA_CACHE_SAVE);
  return ids;
}

const char* InstanceDomain::name(unsigned inst) const {
  if (ids_from_names_) {
    for (const pmdaInstid& i : set_)
      if (i.i_inst == static_cast<int>(inst)) return i.i_name;
    return nullptr;
  }
  char* name = nullptr;
  if (pmdaCacheLookup(indom_, static_cast<int>(inst), &name, nullptr) < 0) return nullptr;
  return name;
}

}  // namespace bcc
