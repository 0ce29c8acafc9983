#include "bpf/tables.h"

#include <bcc/BPF.h>
#include <bcc/libbpf.h>
#include <linux/bpf.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace bcc {

namespace {

struct MapShape {
  int fd;
  bpf_map_info info;
};

MapShape shape(ebpf::BPF& bpf, const std::string& table) {
  MapShape s{bpf.get_table(table).get_fd(), {}};
  if (s.fd < 0) throw std::runtime_error("program has no map '" + table + "'");
  uint32_t len = sizeof(s.info);
  if (bpf_obj_get_info_by_fd(s.fd, &s.info, &len) != 0)
    throw std::runtime_error("cannot inspect map '" + table + "'");
  return s;
}

bool per_cpu(uint32_t type) {
  return type == BPF_MAP_TYPE_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_ARRAY ||
         type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

// "0-3" or "0,2-5" from /sys/devices/system/cpu/possible: the highest + 1
size_t possible_cpus() {
  static size_t count = [] {
    std::ifstream in("/sys/devices/system/cpu/possible");
    std::string text;
    std::getline(in, text);
    size_t highest = 0, pos = text.find_last_of(",-");
    highest = std::stoul(pos == std::string::npos ? text : text.substr(pos + 1));
    return highest + 1;
  }();
  return count;
}

}  // namespace

MapInfo map_info(ebpf::BPF& bpf, const std::string& table) {
  MapShape s = shape(bpf, table);
  return {s.info.type, s.info.key_size, s.info.value_size, s.info.max_entries};
}

std::vector<MapEntry> read_entries(ebpf::BPF& bpf, const std::string& table) {
  MapShape s = shape(bpf, table);
  size_t value_size = s.info.value_size;
  if (per_cpu(s.info.type)) value_size = ((value_size + 7) / 8 * 8) * possible_cpus();
  std::vector<MapEntry> out;
  std::string key(s.info.key_size, '\0'), next(s.info.key_size, '\0');
  std::string value(value_size, '\0');
  bool first = true;
  while (bpf_get_next_key(s.fd, first ? nullptr : key.data(), next.data()) == 0) {
    first = false;
    key = next;
    if (bpf_lookup_elem(s.fd, key.data(), value.data()) == 0) out.push_back({key, value});
    if (out.size() > s.info.max_entries) break;  // entries churning under us
  }
  return out;
}

std::vector<std::pair<std::string, uint64_t>> read_u64_hash(ebpf::BPF& bpf,
                                                            const std::string& table) {
  std::vector<std::pair<std::string, uint64_t>> out;
  for (MapEntry& e : read_entries(bpf, table)) {
    uint64_t sum = 0;
    for (size_t off = 0; off + 8 <= e.value.size(); off += 8) sum += field<uint64_t>(e.value, off);
    out.emplace_back(std::move(e.key), sum);
  }
  return out;
}

bool delete_entry(ebpf::BPF& bpf, const std::string& table, const std::string& key) {
  MapShape s = shape(bpf, table);
  std::string k = key;
  return bpf_delete_elem(s.fd, k.data()) == 0;
}

namespace {

// Every slot's value bytes (per-CPU copies one after the other) with one
// BPF_MAP_LOOKUP_BATCH system call; false where the kernel (before 5.6) or
// the map refuses batch operations.
bool lookup_array_batched(const MapShape& s, size_t slot_size, std::string& values) {
  uint32_t count = s.info.max_entries, cursor = 0;
  std::vector<uint32_t> keys(count);
  values.assign(static_cast<size_t>(count) * slot_size, '\0');
  int rc = bpf_lookup_batch(s.fd, nullptr, &cursor, keys.data(), values.data(), &count);
  // ENOENT: the batch reached the end of the map, which is what we asked for
  if ((rc != 0 && errno != ENOENT) || count != s.info.max_entries) return false;
  for (uint32_t i = 0; i < count; i++)
    if (keys[i] != i) return false;
  return true;
}

}  // namespace

std::vector<uint64_t> read_u64_array(ebpf::BPF& bpf, const std::string& table) {
  MapShape s = shape(bpf, table);
  if (s.info.value_size != sizeof(uint64_t))
    throw std::runtime_error("map '" + table + "' does not hold u64 values");
  size_t copies = per_cpu(s.info.type) ? possible_cpus() : 1;
  size_t slot_size = copies * sizeof(uint64_t);
  // One system call for the whole array, else one lookup per slot; no libbcc
  // table object, which would reread the CPU list from sysfs at each call.
  std::string values;
  if (!lookup_array_batched(s, slot_size, values)) {
    values.assign(static_cast<size_t>(s.info.max_entries) * slot_size, '\0');
    for (uint32_t i = 0; i < s.info.max_entries; i++)
      if (bpf_lookup_elem(s.fd, &i, values.data() + i * slot_size) != 0)
        throw std::runtime_error("cannot read slot " + std::to_string(i) + " of map '" + table +
                                 "': " + std::strerror(errno));
  }
  std::vector<uint64_t> slots(s.info.max_entries, 0);
  for (size_t i = 0; i < slots.size(); i++)
    for (size_t cpu = 0; cpu < copies; cpu++)
      slots[i] += field<uint64_t>(values, (i * copies + cpu) * sizeof(uint64_t));
  return slots;
}

}  // namespace bcc
