#include "bpf/tables.h"

#include <bcc/BPF.h>
#include <bcc/libbpf.h>
#include <linux/bpf.h>

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

bpf_map_type map_type(ebpf::BPF& bpf, const std::string& table) {
  return static_cast<bpf_map_type>(shape(bpf, table).info.type);
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

std::vector<uint64_t> read_u64_array(ebpf::BPF& bpf, const std::string& table) {
  std::vector<uint64_t> slots;
  if (map_type(bpf, table) == BPF_MAP_TYPE_PERCPU_ARRAY) {
    auto per_cpu = bpf.get_percpu_array_table<uint64_t>(table).get_table_offline();
    slots.reserve(per_cpu.size());
    for (const auto& cpus : per_cpu) {
      uint64_t sum = 0;
      for (uint64_t v : cpus) sum += v;
      slots.push_back(sum);
    }
  } else {
    slots = bpf.get_array_table<uint64_t>(table).get_table_offline();
  }
  return slots;
}

}  // namespace bcc
