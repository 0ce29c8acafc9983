// The recent-events collector of a module whose perf buffer carries one
// fixed-size record per event (a struct of the module's <name>.h): each
// record, copied out of the buffer, becomes one row through the module's
// `row` function; a record shorter than the struct is ignored.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "module/recent_events.h"

namespace bcc {

// The options such a module declares: how many events its table keeps
// (pmdabpf's `process_count`, 1 to 100000, default 20), `what` naming them
// ("exits"); and its perf buffer's size, `buffer_page_count`, whose help
// names the module's lost counter.
OptionSpec event_count_option(const std::string& what);
OptionSpec buffer_pages_option(uint64_t default_pages, const std::string& lost_metric);

// The bytes of a fixed-size char array up to its first NUL, as the kernel
// wrote them (names are user-chosen: no escaping here, the PMDA layer does it).
template <size_t N>
std::string c_string(const char (&text)[N]) {
  return std::string(text, strnlen(text, N));
}

template <typename Record>
class RecordRows : public RecentEvents {
 public:
  using RowOf = std::vector<Value> (*)(const Record&);
  // As RecentEvents; `row`: a record's value per column, in column order.
  // A module that needs state to make a row (names it caches) passes none
  // and overrides row_of.
  RecordRows(std::string capacity_option, std::vector<std::string> columns,
             std::string lost_metric = "", RowOf row = nullptr)
      : RecentEvents(std::move(capacity_option), std::move(columns), std::move(lost_metric)),
        row_(row) {}

  void event(const std::string&, const void* data, int size) override {
    if (size < static_cast<int>(sizeof(Record))) return;
    Record record;
    std::memcpy(&record, data, sizeof(record));
    table().push(row_of(record));
  }

 protected:
  virtual std::vector<Value> row_of(const Record& record) { return row_(record); }

 private:
  RowOf row_;
};

}  // namespace bcc
