// usdt_hits: how often each of a list of USDT probes (user-space statically
// defined tracepoints) fires in a process, as the Python BCC agent's module
// of the same name counts them.
#include <memory>

#include "bpf/binaries.h"
#include "module/hit_counters.h"
#include "module/options.h"
#include "module/probe_list.h"
#include "module/registry.h"

namespace {

using namespace bcc;

const char* const kMetric = "usdt.hits";

// The USDT probes the section lists, a slot each, named "path::probe".
class UsdtHits : public HitCounters {
 public:
  UsdtHits() : HitCounters(kMetric) {}
  void configure(const ModuleOptions& options) override {
    probes_ = listed(options, "usdts", "bcc-usdt.conf", "USDT probe");
    count_pairs(probes_, "usdts", "path:probe");
  }
  std::vector<ProbeChain> probes(const std::vector<int>& pids) override {
    std::vector<ProbeChain> chains;
    if (pids.empty()) return chains;
    int pid = pids.front();
    for (size_t i = 0; i < probes_.size(); i++) {
      auto [path, name] = split_probe(probes_[i]);
      // the provider, from the binary's own notes
      UsdtInProcess at = locate_usdt_probes(pid, path, {name}).front();
      std::string binary = at.binary.empty() ? path : at.binary;
      chains.push_back({probes_[i] + " pid " + std::to_string(pid),
                        {usdt(binary, at.provider, name, hit_function(i), pid)},
                        /*optional=*/true});
    }
    return chains;
  }

 private:
  std::vector<std::string> probes_;  // "path:probe" as configured
};

ModuleSpec usdt_hits() {
  return ModuleSpec("usdt_hits")
      .summary("USDT probe hit counts")
      .program("hit_counter.bpf")
      .option(text_option("usdts",
                          "comma list of path:probe (path of the binary or library as the "
                          "process sees it), or a file of one per line (default: "
                          "bcc-usdt.conf)"))
      .option(text_option("process", "the process to follow (mandatory; the first match)"))
      .follow_processes(ProcessArming::first_match)
      .process_required("USDT probes are attached to one process")
      .collector(std::make_shared<UsdtHits>())
      .metric(hit_counter(kMetric, "USDT hit count",
                          "How many times each configured USDT probe fired in the followed "
                          "process. Instances are \"path::probe\" as configured."))
      .instances_help("USDT probes, named \"path::probe\"");
}

const bool registered = register_module("usdt_hits", usdt_hits);

}  // namespace
