// biotop's ranking: per-process block I/O totals of one interval, sorted
// by the `sort` option and cut to the top `process_count`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bcc {

struct IoTotals {
  uint32_t pid = 0;  // 0: requests whose submitter was not seen
  std::string comm;
  bool write = false;
  unsigned major = 0, minor = 0;
  uint64_t bytes = 0;
  uint64_t microseconds = 0;  // summed over the requests
  uint64_t io = 0;
};

struct IoSort {
  enum Key { bytes, io, duration, rw } key = bytes;
  bool descending = true;  // a leading '-'
};

// "-bytes" (the default), "bytes", "io", "duration", "rw", each with an
// optional leading '-' for descending order; throws config::ConfigError.
IoSort parse_io_sort(const std::string& text);

// Sorted and cut; pid 0 left out unless `include_residual`.
std::vector<IoTotals> rank_io(std::vector<IoTotals> rows, const IoSort& sort, size_t count,
                              bool include_residual);

}  // namespace bcc
