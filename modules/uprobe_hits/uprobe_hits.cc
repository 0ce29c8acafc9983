// uprobe_hits: how often each of a list of user-space functions is called,
// as the Python BCC agent's module of the same name counts them.
#include <memory>

#include "bpf/binaries.h"
#include "module/hit_counters.h"
#include "module/options.h"
#include "module/probe_list.h"
#include "module/registry.h"

namespace {

using namespace bcc;

const char* const kMetric = "uprobe.hits";

// The functions the section lists, a slot each, named "library::symbol".
class UprobeHits : public HitCounters {
 public:
  UprobeHits() : HitCounters(kMetric) {}
  void configure(const ModuleOptions& options) override {
    probes_ = listed(options, "uprobes", "bcc-uprobe.conf", "uprobe");
    count_pairs(probes_, "uprobes", "library:symbol");
  }
  std::vector<ProbeChain> probes(const std::vector<int>& pids) override {
    // without a process filter, every process; else each matching one,
    // its libraries found as it sees them
    std::vector<int> targets = pids.empty() ? std::vector<int>{-1} : pids;
    std::vector<ProbeChain> chains;
    for (size_t i = 0; i < probes_.size(); i++) {
      auto [library, symbol] = split_probe(probes_[i]);
      for (int pid : targets) {
        std::string binary = resolve_binary(library, pid);
        std::string name = probes_[i] + (pid < 0 ? "" : " pid " + std::to_string(pid));
        chains.push_back(
            {name,
             {uprobe(binary.empty() ? library : binary, symbol, hit_function(i), pid)},
             /*optional=*/true});
      }
    }
    return chains;
  }

 private:
  std::vector<std::string> probes_;  // "lib:symbol" as configured
};

ModuleSpec uprobe_hits() {
  return ModuleSpec("uprobe_hits")
      .summary("uprobe hit counts")
      .program("hit_counter.bpf")
      .option(text_option("uprobes",
                          "comma list of library:symbol (a library name such as 'c', or a "
                          "path), or a file of one per line (default: bcc-uprobe.conf)"))
      .option(text_option("process", "count only in these processes (pids, names, regexes)"))
      .follow_processes(ProcessArming::each_match)
      .collector(std::make_shared<UprobeHits>())
      .metric(hit_counter(kMetric, "uprobe hit count",
                          "How many times each configured user-space function was called "
                          "(in the processes of the 'process' option when it is set). "
                          "Instances are \"library::symbol\" as configured (\"c::malloc\")."))
      .instances_help("user-space functions, named \"library::symbol\"");
}

const bool registered = register_module("uprobe_hits", uprobe_hits);

}  // namespace
