// usdt_jvm_threads: Java threads started and stopped in a JVM, from the
// hotspot USDT probes of its libjvm.so, as the Python BCC agent's module of
// the same name counts them.
#include "bpf/binaries.h"
#include "module/hit_counters.h"
#include "module/options.h"
#include "module/registry.h"

namespace {

bcc::ModuleSpec usdt_jvm_threads() {
  using namespace bcc;
  return ModuleSpec("usdt_jvm_threads")
      .summary("JVM thread starts and stops")
      .program("hit_counter.bpf")
      .option(text_option("process", "the JVM to follow (mandatory; the first match)"))
      .option(text_option("jvm_path",
                          "libjvm.so as the JVM sees it (default: the one it has loaded)"))
      .follow_processes(ProcessArming::first_match)
      .process_required("USDT probes are attached to one process")
      .defines_from([](const ModuleOptions&) { return hit_counter_defines(2); })
      .probes_from([](const ModuleOptions& options, const std::vector<int>& pids) {
        std::vector<ProbeChain> chains;
        if (pids.empty()) return chains;
        int pid = pids.front();
        // jvm_path, else the binary of the JVM whose notes carry the probe (libjvm.so)
        std::string jvm_path = options.is_set("jvm_path") ? options.text("jvm_path") : "";
        const std::vector<std::string> probes = {"thread__start", "thread__stop"};
        std::vector<UsdtInProcess> found = locate_usdt_probes(pid, jvm_path, probes);
        for (size_t i = 0; i < probes.size(); i++)
          chains.push_back({"hotspot:" + probes[i],
                            {usdt(found[i].binary, "hotspot", probes[i], hit_function(i), pid)}});
        return chains;
      })
      .metric(hit_total("usdt.jvm.threads.start", 0, "thread starts",
                        "Java threads started in the followed JVM (hotspot:thread__start)."))
      .metric(hit_total("usdt.jvm.threads.stop", 1, "thread stops",
                        "Java threads stopped in the followed JVM (hotspot:thread__stop)."));
}

const bool registered = bcc::register_module("usdt_jvm_threads", usdt_jvm_threads);

}  // namespace
