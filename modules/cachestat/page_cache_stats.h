// Page cache hit/miss accounting from four kernel event counts, as BCC's
// cachestat tool (and the retired Python agent) derive it:
//   total   = accesses - buffer dirtyings   (mark_page_accessed - mark_buffer_dirty)
//   misses  = pages added - pages dirtied   (add_to_page_cache  - account_page_dirtied)
//   hits    = total - misses
//   dirtied = buffer dirtyings
// computed over each interval between reads (each term clamped at zero) and
// accumulated, so that every result is a counter that never goes back.
#pragma once

#include <cstdint>

namespace bcc {

struct PageCacheEvents {
  uint64_t accessed = 0;
  uint64_t added = 0;
  uint64_t account_dirtied = 0;
  uint64_t buffer_dirtied = 0;
};

struct PageCacheCounters {
  uint64_t total = 0;
  uint64_t misses = 0;
  uint64_t hits = 0;
  uint64_t dirtied = 0;
};

class PageCacheStats {
 public:
  // `accesses_counted` is false where the kernel offers no probe for page
  // accesses: misses are then not capped by a total that is not known.
  explicit PageCacheStats(bool accesses_counted = true) : accesses_counted_(accesses_counted) {}
  void set_accesses_counted(bool counted) { accesses_counted_ = counted; }

  // The program's running event counts; adds the interval since the last call.
  void update(const PageCacheEvents& now);
  const PageCacheCounters& counters() const { return counters_; }

 private:
  bool accesses_counted_;
  bool first_ = true;
  PageCacheEvents last_;
  PageCacheCounters counters_;
};

}  // namespace bcc
