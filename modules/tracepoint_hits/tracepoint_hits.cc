// tracepoint_hits: how often each of a list of kernel tracepoints fires,
// as the Python BCC agent's module of the same name counts them.
#include "bpf/kernel.h"
#include "config/ini.h"
#include "module/hit_counters.h"
#include "module/options.h"
#include "module/probe_list.h"
#include "module/registry.h"

namespace {

bcc::ModuleSpec tracepoint_hits() {
  using namespace bcc;
  auto names = std::make_shared<std::vector<std::string>>();    // tracepoints found
  auto missing = std::make_shared<std::vector<std::string>>();  // patterns matching none
  return ModuleSpec("tracepoint_hits")
      .summary("tracepoint hit counts")
      .program("hit_counter.bpf")
      .option(text_option("tracepoints",
                          "comma list of category:event (regular expressions allowed), or a "
                          "file of one per line (default: bcc-tracepoint.conf)"))
      .option(text_option("process", "count only in these processes (pids, names, regexes)"))
      .process_filter()
      .on_configure([names, missing](const ModuleOptions& options) {
        std::vector<std::string> patterns = read_probe_list(
            options.text("tracepoints"), options.config_dir(), "bcc-tracepoint.conf");
        if (patterns.empty())
          throw config::ConfigError(
              "tracepoints: no tracepoint given (set tracepoints, or list them in "
              "bcc-tracepoint.conf)");
        PatternMatches matches = match_patterns(patterns, available_tracepoints());
        *names = matches.found;
        *missing = matches.missing;
      })
      .defines_from([names](const ModuleOptions&) { return hit_counter_defines(names->size()); })
      .probes_from([names, missing](const ModuleOptions&, const std::vector<int>&) {
        std::vector<ProbeChain> chains;
        for (size_t i = 0; i < names->size(); i++) {
          ProbeAlternative alt = tracepoint((*names)[i]);
          alt.function = hit_function(i);
          chains.push_back({(*names)[i], {alt}, /*optional=*/true});
        }
        // reported by name in the log and bcc.pmda.module.reason
        for (const std::string& pattern : *missing)
          chains.push_back({pattern, {tracepoint(pattern)}, /*optional=*/true});
        return chains;
      })
      .metric(hit_counter(
          "tracepoint.hits", names, "tracepoint hit count",
          "How many times each configured kernel tracepoint fired (in the processes of "
          "the 'process' option when it is set). Instances are \"category:event\"."))
      .instances_help("tracepoints, named \"category:event\"");
}

const bool registered = bcc::register_module("tracepoint_hits", tracepoint_hits);

}  // namespace
