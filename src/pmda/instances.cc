#include "pmda/instances.h"

#include <pcp/pmda.h>

namespace bcc {

InstanceDomain::InstanceDomain(pmInDom indom) : indom_(indom) {
  // a missing saved cache is normal on the first start
  pmdaCacheOp(indom_, PMDA_CACHE_LOAD);
  pmdaCacheOp(indom_, PMDA_CACHE_INACTIVE);
}

std::vector<int> InstanceDomain::set_active(const std::vector<const std::string*>& names) {
  std::vector<int> ids;
  ids.reserve(names.size());
  bool added = false;
  pmdaCacheOp(indom_, PMDA_CACHE_INACTIVE);
  for (const std::string* name : names) {
    int inst = -1;
    if (pmdaCacheLookupName(indom_, name->c_str(), &inst, nullptr) < 0) added = true;
    inst = pmdaCacheStore(indom_, PMDA_CACHE_ADD, name->c_str(), nullptr);
    if (inst < 0) {
      pmNotifyErr(LOG_ERR, "instance domain %s: cannot add \"%s\": %s", pmInDomStr(indom_),
                  name->c_str(), pmErrStr(inst));
    }
    ids.push_back(inst);
  }
  if (added) pmdaCacheOp(indom_, PMDA_CACHE_SAVE);
  return ids;
}

const char* InstanceDomain::name(unsigned inst) const {
  char* name = nullptr;
  if (pmdaCacheLookup(indom_, static_cast<int>(inst), &name, nullptr) < 0) return nullptr;
  return name;
}

}  // namespace bcc
