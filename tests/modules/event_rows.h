// Reading the rows of an event-table module (RecentEvents) in unit tests:
// records go in through the module's perf buffer as the program would send
// them; a row's column is one metric's value at instance "row".
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "module_harness.h"

namespace bcc::testing {

using FetchedValues = std::map<std::string, std::vector<Sample>>;

// One record through the module's first perf buffer.
template <typename Record>
void send_record(ModuleHarness& h, const Record& record) {
  h.spec().perf_buffers().at(0).on_event(&record, sizeof(record));
}

// Row `row` of `metric` (instance "row"); a test failure when it is missing.
template <typename T>
T row_value(FetchedValues& values, const std::string& metric, size_t row) {
  const std::vector<Sample>& samples = values[metric];
  EXPECT_GT(samples.size(), row) << metric;
  if (samples.size() <= row) return T{};
  EXPECT_EQ(samples[row].instance, std::to_string(row));
  return std::get<T>(samples[row].value);
}

// A singular counter's value in a new fetch (the module's lost counter).
inline uint64_t fetched_counter(ModuleHarness& h, const std::string& metric) {
  FetchedValues values = h.fetch();
  const std::vector<Sample>& samples = values[metric];
  EXPECT_EQ(samples.size(), 1u) << metric;
  return samples.empty() ? UINT64_MAX : std::get<uint64_t>(samples[0].value);
}

}  // namespace bcc::testing
