// Metric kinds modules declare, each reading its values from a BPF map.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "module/key_decoders.h"
#include "module/spec.h"

namespace bcc {

// A log2 histogram map (BPF_HISTOGRAM or a per-CPU array of 64 u64 filled
// with bpf_log2l) as a counter metric with one instance per bucket.
MetricSpec log2_histogram(std::string name, std::string table, int time_scale,
                          std::string oneline, std::string help);

// One of several log2 histograms that share the module's instance domain:
// reads `table`, and shows every bucket up to the highest non-empty one of
// all of `shared_tables`, so that all of them have the same instances.
MetricSpec shared_log2_histogram(std::string name, std::string table,
                                 std::vector<std::string> shared_tables, int time_scale,
                                 std::string oneline, std::string help);

// A linear histogram map (an array of u64, slot i counting the values
// [i*width, (i+1)*width - 1]) as a counter metric with one instance per bucket.
MetricSpec linear_histogram(std::string name, std::string table, uint64_t width, pmUnits units,
                            std::string oneline, std::string help);

// A hash map of u64 counters (per-CPU copies summed), one instance per key.
// (Per-process hashes whose exited processes are kept: module/process_counters.h.)
MetricSpec hash_counter(std::string name, std::string table, pmUnits units, KeyDecoder namer,
                        std::string oneline, std::string help);

// A u64 counter at byte `value_offset` of a hash map's struct values (a plain
// hash, not per-CPU: the program adds atomically), one instance per key.
MetricSpec hash_field_counter(std::string name, std::string table, size_t value_offset,
                              pmUnits units, KeyDecoder namer, std::string oneline,
                              std::string help);

// The sum of every entry of a hash of u64 (per-CPU copies summed): a
// singular counter.
MetricSpec hash_total(std::string name, std::string table, pmUnits units, std::string oneline,
                      std::string help);

// A single u64 counter: the sum of every slot of an array (or per-CPU array).
MetricSpec array_total(std::string name, std::string table, pmUnits units, std::string oneline,
                       std::string help);

}  // namespace bcc
