#include "page_cache_stats.h"

namespace bcc {

namespace {

uint64_t minus(uint64_t a, uint64_t b) { return a > b ? a - b : 0; }

}  // namespace

void PageCacheStats::update(const PageCacheEvents& now) {
  // the kernel's counts only grow; a smaller one means the program was
  // reloaded, and the new counts are all new events
  auto delta = [this](uint64_t now_value, uint64_t last_value) {
    return first_ || now_value < last_value ? now_value : now_value - last_value;
  };
  uint64_t accessed = delta(now.accessed, last_.accessed);
  uint64_t added = delta(now.added, last_.added);
  uint64_t account_dirtied = delta(now.account_dirtied, last_.account_dirtied);
  uint64_t buffer_dirtied = delta(now.buffer_dirtied, last_.buffer_dirtied);
  last_ = now;
  first_ = false;

  uint64_t total = minus(accessed, buffer_dirtied);
  uint64_t misses = minus(added, account_dirtied);
  uint64_t hits = 0;
  if (accesses_counted_) {
    if (misses > total) misses = total;  // more misses than accesses: all were misses
    hits = total - misses;
  }
  counters_.total += total;
  counters_.misses += misses;
  counters_.hits += hits;
  counters_.dirtied += buffer_dirtied;
}

}  // namespace bcc
