#include "bpf/tables.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <cstring>
#include <memory>
#include <fstream>
#include <stdexcept>

#include "bpf/hash_batch.h"
#include "bpf/mapped_array.h"

namespace bcc {

namespace {

struct MapShape {
  int fd;
  MapInfo info;
};

// The descriptor and what `maps` says of the map (a loaded program keeps it)
MapShape shape(Maps& maps, const std::string& table) {
  MapShape s{maps.fd(table), {}};
  if (s.fd < 0) throw std::runtime_error("program has no map '" + table + "'");
  s.info = maps.info(table);
  return s;
}

size_t value_bytes(const MapInfo& info) { return lookup_value_bytes(info); }

}  // namespace

size_t lookup_value_bytes(const MapInfo& map) {
  if (!map.per_cpu()) return map.value_size;
  return (map.value_size + 7) / 8 * 8 * possible_cpus();
}

size_t possible_cpus() {
  static const size_t count = [] {
    int n = libbpf_num_possible_cpus();
    if (n > 0) return static_cast<size_t>(n);
    // "0-3" or "0,2-5" from sysfs: the highest + 1
    std::ifstream in("/sys/devices/system/cpu/possible");
    std::string text;
    std::getline(in, text);
    size_t pos = text.find_last_of(",-");
    try {
      return std::stoul(pos == std::string::npos ? text : text.substr(pos + 1)) + 1;
    } catch (const std::exception&) {
      throw std::runtime_error("cannot count the possible CPUs");
    }
  }();
  return count;
}

MapInfo Maps::info(const std::string& table) {
  int map_fd = fd(table);
  if (map_fd < 0) throw std::runtime_error("program has no map '" + table + "'");
  bpf_map_info info{};
  uint32_t len = sizeof(info);
  if (bpf_obj_get_info_by_fd(map_fd, &info, &len) != 0)
    throw std::runtime_error("cannot inspect map '" + table + "': " + std::strerror(errno));
  return {info.type, info.key_size, info.value_size, info.max_entries, info.map_flags, info.id};
}

MapEntries Maps::entries(const std::string& table) {
  MapShape s = shape(*this, table);
  auto out = std::make_shared<std::vector<MapEntry>>();
  if (!s.info.array() &&
      visit_hash_batched({s.fd, s.info.key_size, value_bytes(s.info), s.info.max_entries},
                         [&](std::string_view key, std::string_view value) {
                           out->push_back({std::string(key), std::string(value)});
                         }))
    return MapEntries(std::move(out));
  // arrays, and kernels without batch operations: key by key
  std::string key(s.info.key_size, '\0'), next(s.info.key_size, '\0');
  std::string value(value_bytes(s.info), '\0');
  bool first = true;
  while (bpf_map_get_next_key(s.fd, first ? nullptr : key.data(), next.data()) == 0) {
    first = false;
    key = next;
    if (bpf_map_lookup_elem(s.fd, key.data(), value.data()) == 0) out->push_back({key, value});
    if (out->size() > s.info.max_entries) break;  // entries churning under us
  }
  return MapEntries(std::move(out));
}

bool Maps::lookup(const std::string& table, const std::string& key, std::string& value) {
  MapShape s = shape(*this, table);
  if (key.size() != s.info.key_size) return false;
  value.assign(value_bytes(s.info), '\0');
  return bpf_map_lookup_elem(s.fd, key.data(), value.data()) == 0;
}

bool Maps::erase(const std::string& table, const std::string& key) {
  return bpf_map_delete_elem(fd(table), key.data()) == 0;
}

MapInfo map_info(Maps& maps, const std::string& table) { return maps.info(table); }

MapEntries read_entries(Maps& maps, const std::string& table) { return maps.entries(table); }

MapSlots read_u64_array(Maps& maps, const std::string& table) { return maps.u64_slots(table); }

MapBytes read_array_values(Maps& maps, const std::string& table) {
  return maps.array_values(table);
}

std::vector<std::pair<std::string, uint64_t>> read_u64_hash(Maps& maps, const std::string& table) {
  std::vector<std::pair<std::string, uint64_t>> out;
  for (const MapEntry& e : read_entries(maps, table)) {
    uint64_t sum = 0;
    for (size_t off = 0; off + 8 <= e.value.size(); off += 8) sum += field<uint64_t>(e.value, off);
    out.emplace_back(e.key, sum);
  }
  return out;
}

bool delete_entry(Maps& maps, const std::string& table, const std::string& key) {
  if (key.size() != maps.info(table).key_size) return false;
  bool deleted = maps.erase(table, key);
  maps.changed(table);
  return deleted;
}

bool update_entry(Maps& maps, const std::string& table, const std::string& key,
                  const std::string& value) {
  MapShape s = shape(maps, table);
  if (key.size() != s.info.key_size || value.size() != value_bytes(s.info)) return false;
  bool updated = bpf_map_update_elem(s.fd, key.data(), value.data(), BPF_ANY) == 0;
  maps.changed(table);
  return updated;
}

namespace {

void clear_kernel_map(Maps& maps, const std::string& table) {
  MapShape s = shape(maps, table);
  if (s.info.type == BPF_MAP_TYPE_ARRAY || s.info.type == BPF_MAP_TYPE_PERCPU_ARRAY) {
    std::string zeros(value_bytes(s.info), '\0');
    for (uint32_t i = 0; i < s.info.max_entries; i++)
      if (bpf_map_update_elem(s.fd, &i, zeros.data(), BPF_ANY) != 0)
        throw std::runtime_error("cannot clear slot " + std::to_string(i) + " of map '" + table +
                                 "': " + std::strerror(errno));
    return;
  }
  // Keys first, then deletions: a hash's next-key walk restarts from its
  // first key when the current one is deleted under it. A few rounds for
  // keys that the program adds meanwhile, no more.
  std::string key(s.info.key_size, '\0'), next(s.info.key_size, '\0');
  for (int round = 0; round < 4; round++) {
    std::vector<std::string> keys;
    bool first = true;
    while (keys.size() <= s.info.max_entries &&
           bpf_map_get_next_key(s.fd, first ? nullptr : key.data(), next.data()) == 0) {
      first = false;
      key = next;
      keys.push_back(key);
    }
    if (keys.empty()) return;
    for (std::string& k : keys) bpf_map_delete_elem(s.fd, k.data());
  }
}

}  // namespace

void clear_map(Maps& maps, const std::string& table) {
  clear_kernel_map(maps, table);
  maps.changed(table);
}

namespace {

// Every slot's value bytes (per-CPU copies one after the other) with one
// BPF_MAP_LOOKUP_BATCH system call; false where the kernel (before 5.6) or
// the map refuses batch operations.
bool lookup_array_batched(const MapShape& s, size_t slot_size, std::vector<char>& values) {
  uint32_t count = s.info.max_entries, cursor = 0;
  std::vector<uint32_t> keys(count);
  int rc = bpf_map_lookup_batch(s.fd, nullptr, &cursor, keys.data(), values.data(), &count, nullptr);
  // ENOENT: the batch reached the end of the map, which is what we asked for
  if ((rc != 0 && errno != ENOENT) || count != s.info.max_entries) return false;
  for (uint32_t i = 0; i < count; i++)
    if (keys[i] != i) return false;
  return true;
}

}  // namespace

MapBytes Maps::array_values(const std::string& table) {
  MapShape s = shape(*this, table);
  const MapInfo& info = s.info;
  if (!info.array()) throw std::runtime_error("map '" + table + "' is not an array");
  size_t slot_size = value_bytes(s.info);
  auto values = std::make_shared<std::vector<char>>(slot_size * s.info.max_entries);
  // from memory, else one system call for the whole array, else one per slot
  if (auto mapped = MappedArray::map(s.fd, info)) {
    mapped->copy_values(*values);
    return MapBytes(std::move(values));
  }
  if (lookup_array_batched(s, slot_size, *values)) return MapBytes(std::move(values));
  for (uint32_t i = 0; i < s.info.max_entries; i++)
    if (bpf_map_lookup_elem(s.fd, &i, values->data() + i * slot_size) != 0)
      throw std::runtime_error("cannot read slot " + std::to_string(i) + " of map '" + table +
                               "': " + std::strerror(errno));
  return MapBytes(std::move(values));
}

MapSlots Maps::u64_slots(const std::string& table) {
  MapInfo info = this->info(table);
  if (info.value_size != sizeof(uint64_t))
    throw std::runtime_error("map '" + table + "' does not hold u64 values");
  if (info.key_size != sizeof(uint32_t))
    throw std::runtime_error("map '" + table + "' is not indexed by slot (its keys are not u32)");
  MapBytes values = array_values(table);
  // per-CPU copies lie next to each other, slot after slot; a mmapable
  // array's rows (one per possible CPU, modules/cpu_rows.h) one after another
  size_t copies = info.per_cpu() ? possible_cpus() : 1;
  size_t rows = info.mmapable() ? possible_cpus() : 1;
  if (info.max_entries % rows != 0)
    throw std::runtime_error("map '" + table + "' is mmapable but its " +
                             std::to_string(info.max_entries) + " slots are not one row per " +
                             "possible CPU (" + std::to_string(rows) + ")");
  size_t row_slots = info.max_entries / rows;
  auto slots = std::make_shared<std::vector<uint64_t>>(row_slots, 0);
  // word w is a copy of slot w / copies, in row (w / copies) / row_slots
  size_t words = std::min(values.size() / sizeof(uint64_t), size_t{info.max_entries} * copies);
  for (size_t w = 0; w < words; w++) {
    uint64_t v;
    std::memcpy(&v, values.items().data() + w * sizeof(uint64_t), sizeof v);
    (*slots)[w / copies % row_slots] += v;
  }
  return MapSlots(std::move(slots));
}

}  // namespace bcc
