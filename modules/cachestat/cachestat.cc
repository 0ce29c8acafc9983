// cachestat: page cache hits, misses and dirtied pages, as BCC's cachestat
// tool counts them, plus buffer and cache sizes from /proc/meminfo.
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "bpf/tables.h"
#include "cachestat.h"
#include "module/collector.h"
#include "module/registry.h"
#include "page_cache_stats.h"

namespace {

using namespace bcc;

// Buffers and Cached of /proc/meminfo, in Mbytes: one read for both (the
// kernel computes the whole file at each read).
struct MeminfoSizes {
  uint64_t buffers = 0;
  uint64_t cached = 0;
};
MeminfoSizes meminfo_mbytes() {
  MeminfoSizes sizes;
  std::ifstream in("/proc/meminfo");
  std::string name;
  uint64_t kbytes = 0;
  int found = 0;
  while (found < 2 && in >> name >> kbytes) {
    if (name == "Buffers:") {
      sizes.buffers = kbytes / 1024;
      found++;
    } else if (name == "Cached:") {
      sizes.cached = kbytes / 1024;
      found++;
    }
    in.ignore(256, '\n');
  }
  return sizes;
}

pmUnits mbyte_units() {
  pmUnits u{};
  u.dimSpace = 1;
  u.scaleSpace = PM_SPACE_MBYTE;
  return u;
}

// A metric of one value below mem.vmstat, a U64 counter like all of the
// Python agent's cachestat metrics.
MetricSpec vmstat_metric(std::string name, pmUnits units, std::string oneline, std::string help) {
  MetricSpec m = make_metric("mem.vmstat." + std::move(name), PM_TYPE_U64, PM_SEM_COUNTER, units,
                             std::move(oneline), std::move(help));
  m.has_instances = false;
  return m;
}

MetricSpec counter(std::string name, std::vector<std::string> needs, std::string oneline,
                   std::string help) {
  MetricSpec m = vmstat_metric(std::move(name), count_units(), std::move(oneline), std::move(help));
  m.needs_probes = std::move(needs);
  return m;
}

// The four page cache counters, accumulated from the program's event counts
// at each fetch.
class PageCacheCollector : public Collector {
 public:
  // without the accessed probe, misses are not capped by an unknown total
  void running_without(const std::vector<std::string>& missing) override {
    bool accessed = true;
    for (const std::string& p : missing) accessed = accessed && p != "accessed";
    stats_.set_accesses_counted(accessed);
  }
  void collect(Maps& bpf, Collection& out) override {
    const std::pair<const char*, uint64_t PageCacheCounters::*> counters[] = {
        {"mem.vmstat.total", &PageCacheCounters::total},
        {"mem.vmstat.misses", &PageCacheCounters::misses},
        {"mem.vmstat.hits", &PageCacheCounters::hits},
        {"mem.vmstat.dirtied", &PageCacheCounters::dirtied}};
    std::vector<std::pair<std::vector<Sample>*, uint64_t PageCacheCounters::*>> served;
    for (const auto& [name, field] : counters)
      if (std::vector<Sample>* values = out.values(name)) served.emplace_back(values, field);
    collect_meminfo(out);
    if (served.empty()) return;
    std::vector<uint64_t> slots = read_u64_array(bpf, "counts");
    slots.resize(CACHESTAT_SLOTS);
    stats_.update({slots[CACHESTAT_ACCESSED], slots[CACHESTAT_ADDED],
                   slots[CACHESTAT_ACCOUNT_DIRTIED], slots[CACHESTAT_BUFFER_DIRTIED]});
    for (const auto& [values, field] : served) values->push_back({"", stats_.counters().*field});
  }

 private:
  static void collect_meminfo(Collection& out) {
    std::vector<Sample>* buffers = out.values("mem.vmstat.buffers");
    std::vector<Sample>* cached = out.values("mem.vmstat.cached");
    if (!buffers && !cached) return;
    MeminfoSizes sizes = meminfo_mbytes();
    if (buffers) buffers->push_back({"", sizes.buffers});
    if (cached) cached->push_back({"", sizes.cached});
  }
  PageCacheStats stats_;
};

// Filled by PageCacheCollector from one read of /proc/meminfo.
MetricSpec meminfo(std::string name, std::string oneline, std::string help) {
  return vmstat_metric(std::move(name), mbyte_units(), std::move(oneline), std::move(help));
}

const char* kProbesNote =
    " Probes, first the kernel offers: accessed = kprobe folio_mark_accessed or "
    "mark_page_accessed (no tracepoint exists for it); added = tracepoint "
    "filemap:mm_filemap_add_to_page_cache (pages of each folio), else kprobe "
    "filemap_add_folio or add_to_page_cache_lru; account_dirtied = tracepoint "
    "writeback:writeback_dirty_folio, else kprobe folio_account_dirtied or "
    "account_page_dirtied; buffer_dirtied = tracepoint block:block_dirty_buffer, else "
    "kprobe mark_buffer_dirty. The ones this kernel gave follow.";

ModuleSpec cachestat() {
  return ModuleSpec("cachestat")
      .summary("page cache hits and misses")
      .program("cachestat.bpf")
      .optional_probe("accessed", {kprobe("folio_mark_accessed"), kprobe("mark_page_accessed")})
      .optional_probe("added", {tracepoint("filemap:mm_filemap_add_to_page_cache"),
                                kprobe("filemap_add_folio"), kprobe("add_to_page_cache_lru")})
      .optional_probe("account_dirtied",
                      {tracepoint("writeback:writeback_dirty_folio"),
                       kprobe("folio_account_dirtied"), kprobe("account_page_dirtied")})
      .optional_probe("buffer_dirtied",
                      {tracepoint("block:block_dirty_buffer"), kprobe("mark_buffer_dirty")})
      .collector(std::make_shared<PageCacheCollector>())
      .metric(counter("total", {"accessed", "buffer_dirtied"},
                      "page cache access total",
                      std::string("Page cache accesses: pages marked accessed minus buffers "
                                  "marked dirty, as BCC's cachestat counts them.") +
                          kProbesNote))
      .metric(counter("misses", {"added", "account_dirtied"}, "page cache misses",
                      std::string("Page cache misses: pages added to the page cache minus "
                                  "pages accounted as dirtied (writes add pages too), never "
                                  "more than the total where accesses are counted.") +
                          kProbesNote))
      .metric(counter("hits", {"accessed", "added", "account_dirtied", "buffer_dirtied"},
                      "page cache hits",
                      std::string("Page cache hits: accesses (total) minus misses. Needs "
                                  "the accessed probe, which only kprobes provide.") +
                          kProbesNote))
      .metric(counter("dirtied", {"buffer_dirtied"},
                      "pages dirtied (writes)",
                      std::string("Buffers marked dirty (mark_buffer_dirty), the writes "
                                  "BCC's cachestat reports as DIRTIES.") +
                          kProbesNote))
      .metric(meminfo("buffers", "page cache buffers",
                      "Buffers of /proc/meminfo in Mbytes: the current size (declared a "
                      "counter, as the Python agent did, for compatibility)."))
      .metric(meminfo("cached", "page cache cached",
                      "Cached of /proc/meminfo in Mbytes: the current size of the page cache "
                      "(declared a counter, as the Python agent did, for compatibility)."));
}

const bool registered = register_module("cachestat", cachestat);

}  // namespace
