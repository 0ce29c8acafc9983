#include "bpf/map_snapshot.h"

#include "bpf/entry_counter.h"

namespace bcc {

MapSnapshot::MapSnapshot(Maps& live) : live_(live) {}

MapInfo MapSnapshot::info(const std::string& name) {
  auto it = info_.find(name);
  if (it == info_.end()) it = info_.emplace(name, live_.info(name)).first;
  return it->second;
}

MapEntries MapSnapshot::entries(const std::string& name) {
  auto it = entries_.find(name);
  if (it == entries_.end()) {
    if (empty_by_count(name))
      it = entries_.emplace(name, MapEntries(std::make_shared<std::vector<MapEntry>>())).first;
    else
      it = entries_.emplace(name, live_.entries(name)).first;
  }
  return it->second;
}

// A hash the kernel counted empty at this fetch, which the agent has not
// written since: nothing to read (a read would visit every bucket).
bool MapSnapshot::empty_by_count(const std::string& name) {
  if (written_.count(name)) return false;
  const auto* counts = fetch_entry_counts();
  if (!counts) return false;
  MapInfo map = info(name);
  if (!map.hash() || map.id == 0) return false;
  auto it = counts->find(map.id);
  return it != counts->end() && it->second == 0;
}

MapSlots MapSnapshot::u64_slots(const std::string& name) {
  auto it = slots_.find(name);
  if (it == slots_.end()) it = slots_.emplace(name, live_.u64_slots(name)).first;
  return it->second;
}

MapBytes MapSnapshot::array_values(const std::string& name) {
  auto it = arrays_.find(name);
  if (it == arrays_.end()) it = arrays_.emplace(name, live_.array_values(name)).first;
  return it->second;
}

bool MapSnapshot::lookup(const std::string& name, const std::string& key, std::string& value) {
  auto it = values_.find({name, key});
  if (it == values_.end()) {
    std::string found;
    std::optional<std::string> kept;
    if (live_.lookup(name, key, found)) kept = std::move(found);
    it = values_.emplace(std::make_pair(name, key), std::move(kept)).first;
  }
  if (!it->second) return false;
  value = *it->second;
  return true;
}

std::map<std::string, uint64_t> MapSnapshot::entry_counts() const {
  std::map<std::string, uint64_t> out;
  for (const auto& [name, entries] : entries_) out[name] = entries.size();
  return out;
}

void MapSnapshot::changed(const std::string& name) {
  written_.insert(name);
  entries_.erase(name);
  slots_.erase(name);
  arrays_.erase(name);
  for (auto it = values_.lower_bound({name, ""}); it != values_.end() && it->first.first == name;)
    it = values_.erase(it);
  live_.changed(name);
}

}  // namespace bcc
