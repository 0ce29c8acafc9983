#include "module/event_table.h"

#include <iterator>
#include <string>

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

void EventTable::replace(std::vector<std::vector<Value>> rows) {
  std::lock_guard<std::mutex> hold(lock_);
  if (rows.size() > capacity_) rows.resize(capacity_);
  events_.assign(std::make_move_iterator(rows.begin()), std::make_move_iterator(rows.end()));
}

void EventTable::column(size_t column, std::vector<Sample>& out, uint64_t fetch) const {
  std::lock_guard<std::mutex> hold(lock_);
  if (fetch == 0) {
    for (size_t i = 0; i < events_.size(); i++)
      if (column < events_[i].size()) out.push_back({std::to_string(i), events_[i][column]});
    return;
  }
  if (fetch != seen_by_) {
    seen_.assign(events_.begin(), events_.end());
    seen_by_ = fetch;
  }
  for (size_t i = 0; i < seen_.size(); i++)
    if (column < seen_[i].size()) out.push_back({std::to_string(i), seen_[i][column]});
}

size_t EventTable::size() const {
  std::lock_guard<std::mutex> hold(lock_);
  return events_.size();
}

}  // namespace bcc
