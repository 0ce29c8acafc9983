// Log2 histograms as BCC programs build them (`dist.increment(bpf_log2l(v))`)
// and as the retired Python agent named their buckets: "0-1", "2-3", "4-7", ...
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "module/spec.h"

namespace bcc {

// Slot i holds the values [2^(i-1), 2^i - 1]; slots 0 and 1 are both "0-1"
// (bpf_log2l gives 1 for 0 and for 1).
std::string log2_bucket_name(size_t slot);

// "4-7" -> {4, 7}; nullopt for anything else.
std::optional<std::pair<uint64_t, uint64_t>> bucket_bounds(const std::string& name);

// One sample per bucket from "0-1" up to the highest non-empty one; "0-1"
// is always there so that the metric has an instance from the start.
void log2_samples(const std::vector<uint64_t>& slots, std::vector<Sample>& out);
// The same, with buckets (zeros) at least up to slot `up_to`: histograms
// that share one instance domain all show the same buckets.
void log2_samples(const std::vector<uint64_t>& slots, std::vector<Sample>& out, size_t up_to);
// Linear histograms: slot i holds the values [i*width, (i+1)*width - 1],
// named "0-9", "10-19", ... for width 10; one sample per bucket up to the
// highest non-empty one (at least the first).
std::string linear_bucket_name(size_t slot, uint64_t width);
void linear_samples(const std::vector<uint64_t>& slots, uint64_t width, std::vector<Sample>& out);
// The highest non-empty slot above 1 (1 when none).
size_t highest_log2_slot(const std::vector<uint64_t>& slots);

}  // namespace bcc
