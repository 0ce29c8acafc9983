// Percentiles of latency samples.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

namespace bench {

// The value below which `fraction` of the samples fall (nearest rank).
template <typename T>
double percentile(std::vector<T> samples, double fraction) {
  if (samples.empty()) return 0;
  size_t rank = static_cast<size_t>(fraction * static_cast<double>(samples.size() - 1) + 0.5);
  std::nth_element(samples.begin(), samples.begin() + static_cast<std::ptrdiff_t>(rank),
                   samples.end());
  return static_cast<double>(samples[rank]);
}

}  // namespace bench
