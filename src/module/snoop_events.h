// What the snoop modules that carry pmdabpf's event tables over share
// (opensnoop, statsnoop, mountsnoop, fsslower): one fixed-size record per
// event from the program's `events` perf buffer, turned into one row; the
// newest `process_count` rows as instances "0" (the newest) to "N-1"; the
// module's own lost counter; pmdabpf's `pid` option and our `process`.
#pragma once

#include <cstring>
#include <string>
#include <vector>

#include "module/recent_events.h"
#include "module/spec.h"

namespace bcc {

// The bytes of a fixed-size char array up to its first NUL, as the kernel
// wrote them (names are user-chosen: no escaping here, the PMDA layer does it).
template <size_t N>
std::string c_string(const char (&text)[N]) {
  return std::string(text, strnlen(text, N));
}

// Rows from records of one layout: `row` turns a record into a row; records
// shorter than a Record are dropped.
template <typename Record>
class RecordEvents : public RecentEvents {
 public:
  using Row = std::vector<Value> (*)(const Record&);
  RecordEvents(std::vector<std::string> columns, std::string lost_metric, Row row)
      : RecentEvents("process_count", std::move(columns), std::move(lost_metric)), row_(row) {}
  void event(const std::string&, const void* data, int size) override {
    if (size < static_cast<int>(sizeof(Record))) return;
    Record record;
    memcpy(&record, data, sizeof(record));
    table().push(row_(record));
  }

 private:
  Row row_;
};

// The help sentence every column of a snoop table ends with.
std::string newest_events_help(const std::string& what);

// The options and perf buffer every snoop module has: `process_count`
// (default 20), `buffer_page_count` (`pages`), pmdabpf's `pid` (-DTARGET_PID,
// read by modules/snoop_filter.h) and the `process` filter (-DFILTER_PIDS,
// the program's filter_pids map); the records come from the perf buffer
// `events`.
ModuleSpec& snoop_events(ModuleSpec& spec, const std::string& what, uint64_t pages);

// A column whose values identify a process (pmdabpf's pids): discrete.
MetricSpec discrete_column(std::string name, int type, std::string oneline, std::string help);

}  // namespace bcc
