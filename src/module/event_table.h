// The most recent events of a module, newest first, within a capacity:
// filled by the thread draining a perf buffer, read at fetch. Thread-safe.
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
  // Every event as it is now, newest first: a fetch reads all its columns
  // from this one copy, so that a row is one event even while new ones arrive.
  std::vector<std::vector<Value>> rows() const;
  size_t size() const;

 private:
  mutable std::mutex lock_;
  size_t capacity_;
  std::deque<std::vector<Value>> events_;  // front = newest
};

}  // namespace bcc
