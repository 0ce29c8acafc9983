// Reading BPF maps the way modules declare them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ebpf {
class BPF;
}

namespace bcc {

// An array of u64 (BPF_ARRAY, BPF_HISTOGRAM or their per-CPU forms), slot by
// slot, per-CPU copies summed. Throws std::runtime_error if there is no such map.
std::vector<uint64_t> read_u64_array(ebpf::BPF& bpf, const std::string& table);

}  // namespace bcc
