// An instance domain kept in a pmdaCache, saved so that instance ids stay
// the same across agent restarts (archives store the ids).
#pragma once

#include <pcp/pmapi.h>

#include <string>
#include <vector>

namespace bcc {

class InstanceDomain {
 public:
  explicit InstanceDomain(pmInDom indom);

  pmInDom indom() const { return indom_; }
  // Makes exactly these instances active, adding new ones (in order, so a
  // histogram's buckets get ascending ids); returns their ids in that order (-1 where
  // one could not be added).
  std::vector<int> set_active(const std::vector<const std::string*>& names);
  // The instance's name, or nullptr.
  const char* name(unsigned inst) const;

 private:
  pmInDom indom_;
};

}  // namespace bcc
