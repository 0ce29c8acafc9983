// The PMID clusters handed to programs registered at run time, from the
// reserved range. A freed cluster is handed out again only after every other
// one: clients that cached an old program's descriptors by PMID should not
// meet a newer program's metrics under the same numbers.
#pragma once

#include <optional>
#include <set>

namespace bcc::dynamic {

class ClusterPool {
 public:
  ClusterPool(unsigned first, unsigned last);

  // The next free cluster, or nothing when all are in use.
  std::optional<unsigned> take();
  void release(unsigned cluster) { used_.erase(cluster); }

 private:
  unsigned first_, last_, next_;
  std::set<unsigned> used_;
};

}  // namespace bcc::dynamic
