// Metric kinds modules declare, each reading its values from a BPF map.
#pragma once

#include <string>

#include "module/spec.h"

namespace bcc {

// A log2 histogram map (BPF_HISTOGRAM or a per-CPU array of 64 u64 filled
// with bpf_log2l) as a counter metric with one instance per bucket.
MetricSpec log2_histogram(std::string name, std::string table, int time_scale,
                          std::string oneline, std::string help);

}  // namespace bcc
