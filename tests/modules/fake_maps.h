// Maps a module test fills, or that make up entries for maps it did not
// fill, counting every read of every map.
#pragma once

#include <cstdint>
#include <cstring>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "bpf/maps.h"

namespace bcc::testing {

class FakeMaps : public Maps {
 public:
  // No descriptors: whatever needs the kernel's map fails as it would
  // with a map the program lacks.
  int fd(const std::string& name) const override {
    throw std::runtime_error("fake map '" + name + "' has no descriptor");
  }
  MapInfo info(const std::string& name) override {
    info_reads[name]++;
    auto it = shapes.find(name);
    return it != shapes.end() ? it->second : MapInfo{BPF_MAP_TYPE_HASH, 16, 256, 10240};
  }
  MapEntries entries(const std::string& name) override {
    entry_reads[name]++;
    auto it = contents.find(name);
    auto list = std::make_shared<std::vector<MapEntry>>(
        it != contents.end() ? it->second : made_up_entries());
    return MapEntries(std::move(list));
  }
  MapSlots u64_slots(const std::string& name) override {
    slot_reads[name]++;
    auto it = slots.find(name);
    auto list = std::make_shared<std::vector<uint64_t>>(
        it != slots.end() ? it->second : std::vector<uint64_t>{0, 1, 2, 3, 0, 5});
    return MapSlots(std::move(list));
  }
  MapBytes array_values(const std::string& name) override {
    array_reads[name]++;
    auto it = arrays.find(name);
    if (it != arrays.end())
      return MapBytes(std::make_shared<std::vector<char>>(it->second.begin(), it->second.end()));
    // the made-up slots, as u64 values
    std::vector<char> bytes;
    for (uint64_t v : std::vector<uint64_t>{0, 1, 2, 3, 0, 5})
      bytes.insert(bytes.end(), reinterpret_cast<const char*>(&v),
                   reinterpret_cast<const char*>(&v) + sizeof v);
    return MapBytes(std::make_shared<std::vector<char>>(std::move(bytes)));
  }
  bool lookup(const std::string& name, const std::string& key, std::string& value) override {
    lookups[name]++;
    for (const MapEntry& e : contents[name])
      if (e.key == key) {
        value = e.value;
        return true;
      }
    return false;
  }
  bool erase(const std::string& name, const std::string& key) override {
    auto& list = contents[name];
    for (auto it = list.begin(); it != list.end(); ++it)
      if (it->key == key) {
        list.erase(it);
        return true;
      }
    return false;
  }
  void changed(const std::string& name) override { changes[name]++; }

  // What a test sets.
  std::map<std::string, MapInfo> shapes;
  std::map<std::string, std::vector<MapEntry>> contents;
  std::map<std::string, std::vector<uint64_t>> slots;
  std::map<std::string, std::string> arrays;  // array_values: every slot's bytes
  // What the module did.
  std::map<std::string, int> info_reads, entry_reads, slot_reads, array_reads, lookups, changes;

 private:
  // Two entries whose keys start with small numbers (pids 1 and 2, syscall
  // numbers, slots) and whose values are small u64 counters.
  static std::vector<MapEntry> made_up_entries() {
    std::vector<MapEntry> out;
    for (uint32_t k = 1; k <= 2; k++) {
      std::string key(16, '\0'), value(256, '\0');
      std::memcpy(key.data(), &k, sizeof k);
      for (size_t off = 0; off + 8 <= value.size(); off += 8) {
        uint64_t v = k * 10 + off / 8;
        std::memcpy(value.data() + off, &v, sizeof v);
      }
      out.push_back({key, value});
    }
    return out;
  }
};

}  // namespace bcc::testing
