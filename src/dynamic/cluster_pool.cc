#include "dynamic/cluster_pool.h"

namespace bcc::dynamic {

ClusterPool::ClusterPool(unsigned first, unsigned last) : first_(first), last_(last), next_(first) {}

std::optional<unsigned> ClusterPool::take() {
  for (unsigned tried = 0; tried <= last_ - first_; tried++) {
    unsigned c = next_;
    next_ = next_ == last_ ? first_ : next_ + 1;
    if (used_.insert(c).second) return c;
  }
  return std::nullopt;
}

}  // namespace bcc::dynamic
