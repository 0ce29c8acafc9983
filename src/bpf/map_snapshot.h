// A fetch's view of a program's maps: each map is read from the kernel the
// first time the fetch asks for it, and every later read in the same fetch
// (another metric of the same map, a hook before the readers) gets that
// copy. Values read at one moment also agree with each other: the calls and
// bytes of one process come from one walk of its map. The agent's own
// writes (delete_entry, update_entry, clear_map) drop the map's copy, so a
// map is read again after a hook pruned it. During the agent's fetches, a
// hash the kernel counts empty (bpf/entry_counter.h) is not read at all.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "bpf/maps.h"

namespace bcc {

class MapSnapshot : public Maps {
 public:
  // `live` (the program) must outlive the snapshot.
  explicit MapSnapshot(Maps& live);

  int fd(const std::string& name) const override { return live_.fd(name); }
  MapInfo info(const std::string& name) override;
  MapEntries entries(const std::string& name) override;
  MapSlots u64_slots(const std::string& name) override;
  MapBytes array_values(const std::string& name) override;
  // stack traces and other lookups by key, kept for the fetch too
  bool lookup(const std::string& name, const std::string& key, std::string& value) override;
  bool erase(const std::string& name, const std::string& key) override {
    return live_.erase(name, key);
  }
  void changed(const std::string& name) override;
  // Entries of each map this snapshot holds whole (read and not changed
  // since): what bcc.pmda.map.entries reports without walking it again.
  std::map<std::string, uint64_t> entry_counts() const;

 private:
  bool empty_by_count(const std::string& name);

  Maps& live_;
  std::map<std::string, MapInfo> info_;
  std::map<std::string, MapEntries> entries_;
  std::map<std::string, MapSlots> slots_;
  std::map<std::string, MapBytes> arrays_;
  std::map<std::pair<std::string, std::string>, std::optional<std::string>> values_;
  std::set<std::string> written_;  // by the agent during this snapshot
};

}  // namespace bcc
