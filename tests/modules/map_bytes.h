// Raw map keys and values for the module tests: structs and numbers as the
// kernel would hand over their bytes.
#pragma once

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <string>

namespace bcc::testing {

// The bytes of a trivially copyable value (a u32 key, a struct).
template <typename T>
std::string bytes_of(const T& v) {
  return std::string(reinterpret_cast<const char*>(&v), sizeof v);
}

// Writes `v` at byte `offset` of `into` (grown with zeros as needed).
template <typename T>
void put(std::string& into, size_t offset, const T& v) {
  if (into.size() < offset + sizeof v) into.resize(offset + sizeof v, '\0');
  std::memcpy(into.data() + offset, &v, sizeof v);
}

// u64 counters one after the other (struct traffic, struct stats_t...).
inline std::string u64s(std::initializer_list<uint64_t> values) {
  std::string out;
  for (uint64_t v : values) out += bytes_of(v);
  return out;
}

}  // namespace bcc::testing
