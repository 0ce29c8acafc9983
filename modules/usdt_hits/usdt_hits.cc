// usdt_hits: how often each of a list of USDT probes (user-space statically
// defined tracepoints) fires in a process, as the Python BCC agent's module
// of the same name counts them.
#include "bpf/binaries.h"
#include "config/ini.h"
#include "module/hit_counters.h"
#include "module/options.h"
#include "module/probe_list.h"
#include "module/registry.h"

namespace {

bcc::ModuleSpec usdt_hits() {
  using namespace bcc;
  auto probes = std::make_shared<std::vector<std::string>>();  // "path:probe" as configured
  auto names = std::make_shared<std::vector<std::string>>();   // "path::probe"
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
      .on_configure([probes, names](const ModuleOptions& options) {
        *probes = read_probe_list(options.text("usdts"), options.config_dir(), "bcc-usdt.conf");
        if (probes->empty())
          throw config::ConfigError(
              "usdts: no USDT probe given (set usdts, or list them in bcc-usdt.conf)");
        for (const std::string& probe : *probes) {
          auto [path, name] = split_probe(probe);
          if (path.empty() || name.empty())
            throw config::ConfigError("usdts: '" + probe + "' is not path:probe");
          names->push_back(path + "::" + name);
        }
      })
      .defines_from([probes](const ModuleOptions&) { return hit_counter_defines(probes->size()); })
      .probes_from([probes](const ModuleOptions&, const std::vector<int>& pids) {
        std::vector<ProbeChain> chains;
        if (pids.empty()) return chains;
        int pid = pids.front();
        for (size_t i = 0; i < probes->size(); i++) {
          auto [path, name] = split_probe((*probes)[i]);
          // the provider, from the binary's own notes
          UsdtInProcess at = locate_usdt_probes(pid, path, {name}).front();
          std::string binary = at.binary.empty() ? path : at.binary;
          chains.push_back({(*probes)[i] + " pid " + std::to_string(pid),
                            {usdt(binary, at.provider, name, hit_function(i), pid)},
                            /*optional=*/true});
        }
        return chains;
      })
      .metric(hit_counter("usdt.hits", names, "USDT hit count",
                          "How many times each configured USDT probe fired in the followed "
                          "process. Instances are \"path::probe\" as configured."))
      .instances_help("USDT probes, named \"path::probe\"");
}

const bool registered = bcc::register_module("usdt_hits", usdt_hits);

}  // namespace
