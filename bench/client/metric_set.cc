#include "metric_set.h"

#include <algorithm>
#include <stdexcept>

namespace bench {

namespace {

std::vector<std::string>* collecting = nullptr;

void collect_name(const char* name) { collecting->push_back(name); }

}  // namespace

MetricSet::MetricSet() {
  context_ = pmNewContext(PM_CONTEXT_HOST, "local:");
  if (context_ < 0)
    throw std::runtime_error(std::string("cannot reach pmcd: ") + pmErrStr(context_));
}

MetricSet::~MetricSet() {
  if (context_ >= 0) pmDestroyContext(context_);
}

int MetricSet::resolve(const std::string& prefix) {
  pmUseContext(context_);
  names_.clear();
  pmids_.clear();
  collecting = &names_;
  int sts = 0;
  // "bcc.runq.latency,bcc.disk.all.latency": several subtrees or metrics
  for (size_t start = 0; start <= prefix.size() && sts >= 0;) {
    size_t comma = std::min(prefix.find(',', start), prefix.size());
    sts = pmTraversePMNS(prefix.substr(start, comma - start).c_str(), collect_name);
    start = comma + 1;
  }
  collecting = nullptr;
  if (sts < 0) return sts;
  if (names_.empty()) return PM_ERR_NAME;
  std::vector<const char*> list;
  for (const std::string& n : names_) list.push_back(n.c_str());
  pmids_.resize(names_.size());
  sts = pmLookupName(static_cast<int>(list.size()), list.data(), pmids_.data());
  if (sts < 0) return sts;
  for (pmID id : pmids_)
    if (id == PM_ID_NULL) return PM_ERR_NAME;
  return static_cast<int>(pmids_.size());
}

int MetricSet::fetch() {
  pmUseContext(context_);
  pmResult* result = nullptr;
  failed_metric_.clear();
  int sts = pmFetch(static_cast<int>(pmids_.size()), pmids_.data(), &result);
  if (sts < 0) return sts;
  int good = 0;
  for (int i = 0; i < result->numpmid; i++) {
    int numval = result->vset[i]->numval;
    if (numval < 0) {
      sts = numval;
      failed_metric_ = names_[static_cast<size_t>(i)];
      break;
    }
    good++;
  }
  pmFreeResult(result);
  return sts < 0 ? sts : good;
}

}  // namespace bench
