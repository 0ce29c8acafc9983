#include "bpf/tables.h"

#include <bcc/BPF.h>
#include <bcc/libbpf.h>
#include <linux/bpf.h>

#include <stdexcept>

namespace bcc {

namespace {

bpf_map_type map_type(ebpf::BPF& bpf, const std::string& table) {
  int fd = bpf.get_table(table).get_fd();
  if (fd < 0) throw std::runtime_error("program has no map '" + table + "'");
  bpf_map_info info{};
  uint32_t len = sizeof(info);
  if (bpf_obj_get_info_by_fd(fd, &info, &len) != 0)
    throw std::runtime_error("cannot inspect map '" + table + "'");
  return static_cast<bpf_map_type>(info.type);
}

}  // namespace

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
