#include "pmda/status.h"

#include "config/agent_config.h"

namespace bcc {

StatusGroup::StatusGroup(const std::vector<std::unique_ptr<Module>>& modules, std::string prefix)
    : AgentGroup(config::kStatusCluster, std::move(prefix),
                 "modules enabled in bcc.conf, named by their section"),
      modules_(modules) {
  declare("pmda.module.state", PM_TYPE_STRING, PM_SEM_INSTANT, no_units(),
          "state of each module",
          "\"active\": compiled, attached and collecting; \"partial\": collecting, "
          "but without optional probes the running kernel (or the processes) do "
          "not offer, so some metrics may have no values (bcc.pmda.module.reason "
          "names the probes, why, and those metrics); \"postponed\": its probes "
          "name processes and none matches yet (no values until one starts); "
          "\"failed\": not collecting, see bcc.pmda.module.reason; \"configured\": "
          "not started.");
  declare("pmda.module.reason", PM_TYPE_STRING, PM_SEM_INSTANT, no_units(),
          "why a module is not active",
          "Empty for an active module. For a partial one, each probe it runs "
          "without, why (every alternative tried and what is missing), "
          "and the metrics left without values. For a postponed one, the process "
          "option it waits for. For a failed one, the "
          "configuration error (file, line, section, key), the compiler's error, "
          "or each probe alternative that was tried and why it is not available "
          "on this kernel.");
  declare("pmda.module.probes", PM_TYPE_STRING, PM_SEM_INSTANT, no_units(),
          "probe alternative each probe of a module uses",
          "Comma-separated probe=alternative pairs, e.g. \"switch=tracepoint "
          "sched:sched_switch\": which of the module's chain of alternatives "
          "(tracepoint, raw tracepoint, kprobe, perf event) the running kernel "
          "accepted. Optional probes the kernel could not serve are not listed "
          "here but in bcc.pmda.module.reason.");
  declare("pmda.module.compile_time", PM_TYPE_DOUBLE, PM_SEM_INSTANT, time_units(PM_TIME_SEC),
          "time taken to compile a module's BPF program",
          "Seconds spent in libbcc compiling the module's program at startup.");
  declare("pmda.module.type", PM_TYPE_STRING, PM_SEM_DISCRETE, no_units(),
          "module type of each configured section",
          "The value of the section's 'module' key in bcc.conf.");
  declare("pmda.module.lost_events", PM_TYPE_U64, PM_SEM_COUNTER, count_units(),
          "events a module's perf buffer dropped",
          "Events the kernel could not deliver because the module's perf buffer "
          "was full (BCC's lost-sample callback). Zero for modules without a perf "
          "buffer. A growing value means a larger buffer_page_count is needed.");
  declare("pmda.module.kernel_headers", PM_TYPE_STRING, PM_SEM_INSTANT, no_units(),
          "what a module's program was compiled against",
          "\"the running kernel's BTF (...)\": a kernel tree the loader made from "
          "/sys/kernel/btf/vmlinux (and where it is kept); \"the installed kernel "
          "headers (...)\": /lib/modules/$(uname -r)/{build,source}, with what is "
          "wrong with them if they are not the running kernel's. [pmda] "
          "kernel_headers chooses. Empty until the module's program was compiled.");
}

void StatusGroup::read(std::vector<std::vector<Sample>>& out) {
  out.assign(metrics().size(), {});
  for (const auto& m : modules_) {
    out[0].push_back({m->name(), std::string(state_name(m->state()))});
    out[1].push_back({m->name(), m->reason()});
    out[2].push_back({m->name(), m->probes_used()});
    out[3].push_back({m->name(), m->compile_seconds()});
    out[4].push_back({m->name(), m->type()});
    out[5].push_back({m->name(), m->lost_events()});
    out[6].push_back({m->name(), m->compiled_against()});
  }
}

}  // namespace bcc
