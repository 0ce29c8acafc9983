// An instance domain: the names a module reports, the ids PCP clients see.
//
// Names come from users (command names, file names, map keys) and are
// hostile: they can hold spaces, newlines and any other byte. PCP treats an
// instance name as unique up to its first space, and the agent saves names
// to a text file, one a line. So every name goes through instance_name()
// first: control characters and '\' are escaped (\x0a, \\), a space is kept
// only after a leading number ("001379 sshd", PCP's per-process form, where
// the number is the instance and the rest describes it) and escaped (\x20)
// anywhere else, and names are capped in length. Distinct names reported in
// one fetch always get distinct ids.
//
// By default the agent keeps its own id <-> name table (not libpcp_pmda's
// pmdaCache, which cannot rename an instance and never frees a purged
// name), saved in pmdaCache's file format so that ids stay the same across
// agent restarts (archives store the ids). The identity of an instance is
// its name's first word: "001000 bash" becoming "001000 python" (an exec)
// keeps its id and takes the new name. With ids_from_names, the id is the
// number the name starts with ("001379 sshd" is 1379, as PCP's proc agent
// numbers processes), and nothing is saved.
//
// Either way the active instances are handed to libpcp_pmda as the pmdaIndom
// table entry's it_set (see bind).
#pragma once

#include <pcp/pmapi.h>
#include <pcp/pmda.h>

#include <chrono>
#include <ctime>
#include <string>
#include <unordered_map>
#include <vector>

namespace bcc {

// Longest instance name, in bytes, after escaping: longer ones keep their
// start and end in "~" and a hash of the whole name.
constexpr size_t kMaxInstanceName = 200;

// The name PCP sees for a name a module reported (see above).
std::string instance_name(const std::string& raw);

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
  // The pmdaIndom entry (in the table given to pmdaInit) that this domain
  // keeps up to date with its active instances.
  void bind(pmdaIndom* entry);
  // Makes exactly these instances active, adding new ones (in order, so a
  // histogram's buckets get ascending ids); returns their ids in that order
  // (-1 where one could not be added). The names must be distinct.
  std::vector<int> set_active(const std::vector<const std::string*>& names);
  // The instance's name (as PCP sees it), active or remembered, or nullptr.
  const char* name(unsigned inst) const;
  // Forgets every name and removes the saved copy (a cluster that goes away).
  void forget_all();
  // Names known, active or not (for tests of the memory bound).
  size_t known() const { return entries_.size(); }

 private:
  struct Entry {
    std::string name;
    time_t last_seen = 0;
    bool active = false;
  };

  std::vector<int> set_numbered(const std::vector<const std::string*>& names);
  bool same_as_last(const std::vector<const std::string*>& names) const;
  // after the active set is made: forgets names inactive for long, hands the
  // set to libpcp_pmda, saves the table when it changed
  void finish(time_t now, bool changed, bool set_changed);
  void load();
  void save();
  void purge(time_t now);
  int new_id();
  std::string saved_path() const;

  pmInDom indom_;
  bool ids_from_names_;
  pmdaIndom* entry_ = nullptr;
  // id -> entry, and the first word of each entry's name -> id
  std::unordered_map<int, Entry> entries_;
  std::unordered_map<std::string, int> ids_;
  int next_id_ = 0;
  std::vector<std::string> numbered_names_;  // owns what set_ points to (ids_from_names)
  std::vector<pmdaInstid> set_;
  // the last call's names and ids, while they are valid for the next call
  std::vector<std::string> last_names_;
  std::vector<int> last_ids_;
  time_t last_stamp_ = 0;
  bool last_valid_ = false;
  Forgetting forgetting_;
  std::chrono::steady_clock::time_point next_purge_{};
};

}  // namespace bcc
