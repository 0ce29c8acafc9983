// Reading BPF maps the way modules declare them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bpf/maps.h"

namespace bcc {

// The functions modules read maps with: each asks `maps` (Maps::info,
// entries, u64_slots), which reads the kernel, or a MapSnapshot's copy of
// what it read earlier in the same fetch. Each throws std::runtime_error
// naming the map when there is no such map.

// An array of u64 (BPF_ARRAY, BPF_HISTOGRAM or their per-CPU forms), slot by
// slot, per-CPU copies summed.
MapSlots read_u64_array(Maps& maps, const std::string& table);

// Every slot's value bytes of an array, as Maps::array_values gives them.
MapBytes read_array_values(Maps& maps, const std::string& table);

MapInfo map_info(Maps& maps, const std::string& table);

// Every entry of a hash (or array) map.
MapEntries read_entries(Maps& maps, const std::string& table);

// A hash whose values are u64 counters (per-CPU copies summed).
std::vector<std::pair<std::string, uint64_t>> read_u64_hash(Maps& maps, const std::string& table);

// Removes one key (raw bytes); false when it was not there.
bool delete_entry(Maps& maps, const std::string& table, const std::string& key);

// Sets one entry (raw bytes, any flags: created or replaced); false when the
// sizes do not match the map's (for per-CPU maps `value` holds every possible
// CPU's copy, each rounded up to 8 bytes) or the kernel refuses (a full hash).
bool update_entry(Maps& maps, const std::string& table, const std::string& key,
                  const std::string& value);

// Empties a map, key by key (not atomic: entries added meanwhile may stay):
// hashes and stack traces lose every key; arrays, whose slots cannot be
// deleted, have every slot set to zeros. Throws std::runtime_error if there
// is no such map.
void clear_map(Maps& maps, const std::string& table);

// How many CPUs per-CPU maps hold a copy for (libbpf's count of possible CPUs).
size_t possible_cpus();

// The bytes of one entry's value as lookups return it: every possible CPU's
// copy, each rounded up to 8 bytes, for per-CPU maps.
size_t lookup_value_bytes(const MapInfo& map);

// Reads a field of type T at `offset` in raw bytes (0 when out of range).
template <typename T>
T field(const std::string& bytes, size_t offset) {
  T v{};
  if (offset + sizeof(T) <= bytes.size()) __builtin_memcpy(&v, bytes.data() + offset, sizeof(T));
  return v;
}

// A text field of at most `size` bytes at `offset` in raw bytes (a char[N]
// such as a command name), up to its first NUL; "" when out of range.
inline std::string text_field(const std::string& bytes, size_t offset, size_t size) {
  if (offset >= bytes.size()) return "";
  std::string text = bytes.substr(offset, size);
  return text.substr(0, text.find('\0'));
}

}  // namespace bcc
