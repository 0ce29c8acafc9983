// What the generic probe-counting modules share (tracepoint_hits,
// uprobe_hits, usdt_hits, all on modules/hit_counter.bpf): probe i runs the
// function hit_<i>, which counts into slot i of the per-CPU array `hits`.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "module/spec.h"

namespace bcc {

// The .bpf function counting probe `index`: "hit_3".
std::string hit_function(size_t index);

// PROBE_COUNT and PROBE_FUNCTIONS for `count` probes (at least one slot).
std::vector<std::string> hit_counter_defines(size_t count);

// A counter with one instance per probe, named by `names` (set when the
// module is configured); slots whose name is "" are left out.
MetricSpec hit_counter(std::string name, std::shared_ptr<const std::vector<std::string>> names,
                       std::string oneline, std::string help);

// A singular counter: the hits of probe `index` alone.
MetricSpec hit_total(std::string name, size_t index, std::string oneline, std::string help);

}  // namespace bcc
