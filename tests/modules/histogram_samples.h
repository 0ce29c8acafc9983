// Reading a histogram module's values in unit tests: the buckets as
// (instance, count) pairs, and a kernel-side slot array to feed it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "module_harness.h"

namespace bcc::testing {

using Buckets = std::vector<std::pair<std::string, uint64_t>>;

// Each bucket's instance name and count, in the order fetched.
inline Buckets buckets(const std::vector<Sample>& samples) {
  Buckets out;
  for (const Sample& s : samples) out.emplace_back(s.instance, std::get<uint64_t>(s.value));
  return out;
}

// A 64-slot log2 histogram with `filled` slots set, the rest 0.
inline std::vector<uint64_t> dist_with(const std::map<size_t, uint64_t>& filled) {
  std::vector<uint64_t> dist(64, 0);
  for (auto [slot, count] : filled) dist[slot] = count;
  return dist;
}

}  // namespace bcc::testing
