// The most recent events of a module, newest first: filled by the thread
// draining a perf buffer, read at fetch. Thread-safe. Every column one fetch
// reads comes from the same rows (the table as the fetch's first read found
// it), so that a row is one event even while new ones arrive.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <vector>

#include "module/spec.h"

namespace bcc {

class EventTable {
 public:
  explicit EventTable(size_t capacity = 20) : capacity_(capacity) {}

  void set_capacity(size_t capacity);
  size_t capacity() const;
  // One event: a value per column; the oldest event beyond capacity is dropped.
  void push(std::vector<Value> event);
  // Replaces every event at once, rows[0] becoming instance "0": for tables
  // that hold a ranking taken at intervals rather than a history.
  void replace(std::vector<std::vector<Value>> rows);
  // Column `column` of every event, as samples named "0" (newest) to "N-1".
  // `fetch` (Maps::fetch) identifies the fetch reading: each fetch's first
  // read fixes the rows it sees; 0 reads the rows as they are now.
  void column(size_t column, std::vector<Sample>& out, uint64_t fetch = 0) const;
  size_t size() const;

 private:
  mutable std::mutex lock_;
  size_t capacity_;
  std::deque<std::vector<Value>> events_;  // front = newest
  // the rows fetch `seen_by_` reads
  mutable uint64_t seen_by_ = 0;
  mutable std::vector<std::vector<Value>> seen_;
};

}  // namespace bcc
