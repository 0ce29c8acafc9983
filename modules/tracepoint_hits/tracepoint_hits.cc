// tracepoint_hits: how often each of a list of kernel tracepoints fires,
// as the Python BCC agent's module of the same name counts them.
#include <memory>

#include "bpf/kernel.h"
#include "module/hit_counters.h"
#include "module/options.h"
#include "module/probe_list.h"
#include "module/registry.h"

namespace {

using namespace bcc;

const char* const kMetric = "tracepoint.hits";

// The tracepoints the section lists (regular expressions expanded against
// this machine's tracefs), a slot each; patterns matching none are kept to
// be reported missing.
class TracepointHits : public HitCounters {
 public:
  TracepointHits() : HitCounters(kMetric) {}
  void configure(const ModuleOptions& options) override {
    std::vector<std::string> patterns =
        listed(options, "tracepoints", "bcc-tracepoint.conf", "tracepoint");
    PatternMatches matches = match_patterns(patterns, available_tracepoints());
    count_slots(matches.found);
    missing_ = matches.missing;
  }
  std::vector<ProbeChain> probes(const std::vector<int>&) override {
    std::vector<ProbeChain> chains;
    for (size_t i = 0; i < slots().size(); i++) {
      ProbeAlternative alt = tracepoint(slots()[i]);
      alt.function = hit_function(i);
      chains.push_back({slots()[i], {alt}, /*optional=*/true});
    }
    // reported by name in the log and bcc.pmda.module.reason
    for (const std::string& pattern : missing_)
      chains.push_back({pattern, {tracepoint(pattern)}, /*optional=*/true});
    return chains;
  }

 private:
  std::vector<std::string> missing_;  // patterns matching none
};

ModuleSpec tracepoint_hits() {
  return ModuleSpec("tracepoint_hits")
      .summary("tracepoint hit counts")
      .program("hit_counter.bpf")
      .option(text_option("tracepoints",
                          "comma list of category:event (regular expressions allowed), or a "
                          "file of one per line (default: bcc-tracepoint.conf)"))
      .option(text_option("process", "count only in these processes (pids, names, regexes)"))
      .process_filter()
      .collector(std::make_shared<TracepointHits>())
      .metric(hit_counter(
          kMetric, "tracepoint hit count",
          "How many times each configured kernel tracepoint fired (in the processes of "
          "the 'process' option when it is set). Instances are \"category:event\"."))
      .instances_help("tracepoints, named \"category:event\"");
}

const bool registered = register_module("tracepoint_hits", tracepoint_hits);

}  // namespace
