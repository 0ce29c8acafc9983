// Unit tests of table modules (module/table_columns.h): records handed to
// the module's perf buffer as the program would send them, and one cell of
// a fetched table, its instance checked to be the row's number.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "module_harness.h"

namespace bcc::testing {

// `record` as one perf buffer record of the module's first buffer.
template <typename Record>
void send_record(ModuleHarness& h, const Record& record) {
  h.spec().perf_buffers().at(0).on_event(&record, sizeof(record));
}

// Row `row` of the column metric `metric`; T{} (and a failure) when absent.
template <typename T>
T cell(std::map<std::string, std::vector<Sample>>& values, const std::string& metric, size_t row) {
  const std::vector<Sample>& samples = values[metric];
  EXPECT_GT(samples.size(), row) << metric;
  if (samples.size() <= row) return T{};
  EXPECT_EQ(samples[row].instance, std::to_string(row)) << metric;
  return std::get<T>(samples[row].value);
}

}  // namespace bcc::testing
