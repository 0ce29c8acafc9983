#include "module/event_table.h"

namespace bcc {

void EventTable::set_capacity(size_t capacity) {
  std::lock_guard<std::mutex> hold(lock_);
  capacity_ = capacity;
  while (events_.size() > capacity_) events_.pop_back();
}

size_t EventTable::capacity() const {
  std::lock_guard<std::mutex> hold(lock_);
  return capacity_;
}

void EventTable::push(std::vector<Value> event) {
  std::lock_guard<std::mutex> hold(lock_);
  if (capacity_ == 0) return;
  events_.push_front(std::move(event));
  while (events_.size() > capacity_) events_.pop_back();
}

std::vector<std::vector<Value>> EventTable::rows() const {
  std::lock_guard<std::mutex> hold(lock_);
  return {events_.begin(), events_.end()};
}

size_t EventTable::size() const {
  std::lock_guard<std::mutex> hold(lock_);
  return events_.size();
}

}  // namespace bcc
