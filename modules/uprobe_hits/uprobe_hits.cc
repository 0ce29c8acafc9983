// uprobe_hits: how often each of a list of user-space functions is called,
// as the Python BCC agent's module of the same name counts them.
#include "bpf/binaries.h"
#include "config/ini.h"
#include "module/hit_counters.h"
#include "module/options.h"
#include "module/probe_list.h"
#include "module/registry.h"

namespace {

bcc::ModuleSpec uprobe_hits() {
  using namespace bcc;
  auto probes = std::make_shared<std::vector<std::string>>();  // "lib:symbol" as configured
  auto names = std::make_shared<std::vector<std::string>>();   // "lib::symbol"
  return ModuleSpec("uprobe_hits")
      .summary("uprobe hit counts")
      .program("hit_counter.bpf")
      .option(text_option("uprobes",
                          "comma list of library:symbol (a library name such as 'c', or a "
                          "path), or a file of one per line (default: bcc-uprobe.conf)"))
      .option(text_option("process", "count only in these processes (pids, names, regexes)"))
      .follow_processes(ProcessArming::each_match)
      .on_configure([probes, names](const ModuleOptions& options) {
        *probes = read_probe_list(options.text("uprobes"), options.config_dir(),
                                  "bcc-uprobe.conf");
        if (probes->empty())
          throw config::ConfigError(
              "uprobes: no uprobe given (set uprobes, or list them in bcc-uprobe.conf)");
        for (const std::string& probe : *probes) {
          auto [library, symbol] = split_probe(probe);
          if (library.empty() || symbol.empty())
            throw config::ConfigError("uprobes: '" + probe + "' is not library:symbol");
          names->push_back(library + "::" + symbol);
        }
      })
      .defines_from([probes](const ModuleOptions&) { return hit_counter_defines(probes->size()); })
      .probes_from([probes](const ModuleOptions&, const std::vector<int>& pids) {
        // without a process filter, every process; else each matching one,
        // its libraries found as it sees them
        std::vector<int> targets = pids.empty() ? std::vector<int>{-1} : pids;
        std::vector<ProbeChain> chains;
        for (size_t i = 0; i < probes->size(); i++) {
          auto [library, symbol] = split_probe((*probes)[i]);
          for (int pid : targets) {
            std::string binary = resolve_binary(library, pid);
            std::string name = (*probes)[i] + (pid < 0 ? "" : " pid " + std::to_string(pid));
            chains.push_back({name,
                              {uprobe(binary.empty() ? library : binary, symbol,
                                      hit_function(i), pid)},
                              /*optional=*/true});
          }
        }
        return chains;
      })
      .metric(hit_counter("uprobe.hits", names, "uprobe hit count",
                          "How many times each configured user-space function was called "
                          "(in the processes of the 'process' option when it is set). "
                          "Instances are \"library::symbol\" as configured (\"c::malloc\")."))
      .instances_help("user-space functions, named \"library::symbol\"");
}

const bool registered = bcc::register_module("uprobe_hits", uprobe_hits);

}  // namespace
