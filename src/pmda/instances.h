// An instance domain. By default kept in a pmdaCache, saved so that instance
// ids stay the same across agent restarts (archives store the ids). With
// ids_from_names, the id is the number the name starts with ("001379 sshd"
// is 1379, as PCP's proc agent numbers processes), kept in the pmdaIndom
// table entry itself.
#pragma once

#include <pcp/pmapi.h>
#include <pcp/pmda.h>

#include <chrono>
#include <string>
#include <vector>

namespace bcc {

// How a domain whose names come and go (processes, connections, map keys)
// forgets the names gone for long, instead of growing for the agent's
// whole uptime.
struct Forgetting {
  bool enabled = false;
  time_t after_seconds = 3600;  // inactive this long: the name and its id go
  std::chrono::seconds check_every{60};
};

class InstanceDomain {
 public:
  explicit InstanceDomain(pmInDom indom, bool ids_from_names = false, Forgetting forgetting = {});

  pmInDom indom() const { return indom_; }
  // With ids_from_names: the pmdaIndom entry (in the table given to
  // pmdaInit) that this domain keeps up to date.
  void bind(pmdaIndom* entry);
  // Makes exactly these instances active, adding new ones (in order, so a
  // histogram's buckets get ascending ids); returns their ids in that order (-1 where
  // one could not be added).
  std::vector<int> set_active(const std::vector<const std::string*>& names);
  // The instance's name, or nullptr.
  const char* name(unsigned inst) const;

 private:
  std::vector<int> set_numbered(const std::vector<const std::string*>& names);

  pmInDom indom_;
  bool ids_from_names_;
  pmdaIndom* entry_ = nullptr;
  std::vector<std::string> names_;  // owns what set_ points to
  std::vector<pmdaInstid> set_;
  Forgetting forgetting_;
  std::chrono::steady_clock::time_point next_purge_{};
};

}  // namespace bcc
