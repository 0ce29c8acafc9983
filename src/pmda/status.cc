#include "pmda/status.h"

#include "config/agent_config.h"

namespace bcc {

namespace {

MetricSpec status_metric(std::string name, int type, int sem, pmUnits units, std::string oneline,
                         std::string help) {
  MetricSpec m = make_metric("pmda.module." + std::move(name), type, sem, units,
                             std::move(oneline), std::move(help));
  return m;
}

}  // namespace

StatusGroup::StatusGroup(const std::vector<std::unique_ptr<Module>>& modules, std::string prefix)
    : modules_(modules), prefix_(std::move(prefix)) {
  metrics_ = {
      status_metric("state", PM_TYPE_STRING, PM_SEM_INSTANT, no_units(), "state of each module",
                    "\"active\": compiled, attached and collecting; \"partial\": collecting, "
                    "but without optional probes the running kernel (or the processes) do "
                    "not offer, so some metrics may have no values (bcc.pmda.module.reason "
                    "names the probes, why, and those metrics); \"postponed\": its probes "
                    "name processes and none matches yet (no values until one starts); "
                    "\"failed\": not collecting, see bcc.pmda.module.reason; \"configured\": "
                    "not started."),
      status_metric("reason", PM_TYPE_STRING, PM_SEM_INSTANT, no_units(),
                    "why a module is not active",
                    "Empty for an active module. For a partial one, each probe it runs "
                    "without, why (every alternative tried and what is missing), "
                    "and the metrics left without values. For a postponed one, the process "
                    "option it waits for. For a failed one, the "
                    "configuration error (file, line, section, key), the compiler's error, "
                    "or each probe alternative that was tried and why it is not available "
                    "on this kernel."),
      status_metric("probes", PM_TYPE_STRING, PM_SEM_INSTANT, no_units(),
                    "probe alternative each probe of a module uses",
                    "Comma-separated probe=alternative pairs, e.g. \"switch=tracepoint "
                    "sched:sched_switch\": which of the module's chain of alternatives "
                    "(tracepoint, raw tracepoint, kprobe, perf event) the running kernel "
                    "accepted. Optional probes the kernel could not serve are not listed "
                    "here but in bcc.pmda.module.reason."),
      status_metric("compile_time", PM_TYPE_DOUBLE, PM_SEM_INSTANT, time_units(PM_TIME_SEC),
                    "time taken to compile a module's BPF program",
                    "Seconds spent in libbcc compiling the module's program at startup."),
      status_metric("type", PM_TYPE_STRING, PM_SEM_DISCRETE, no_units(),
                    "module type of each configured section",
                    "The value of the section's 'module' key in bcc.conf."),
      status_metric("lost_events", PM_TYPE_U64, PM_SEM_COUNTER, count_units(),
                    "events a module's perf buffer dropped",
                    "Events the kernel could not deliver because the module's perf buffer "
                    "was full (BCC's lost-sample callback). Zero for modules without a perf "
                    "buffer. A growing value means a larger buffer_page_count is needed."),
  };
}

unsigned StatusGroup::cluster() const { return config::kStatusCluster; }

std::string StatusGroup::instances_help() const {
  return "modules enabled in bcc.conf, named by their section";
}

void StatusGroup::read(std::vector<std::vector<Sample>>& out) {
  out.assign(metrics_.size(), {});
  for (const auto& m : modules_) {
    out[0].push_back({m->name(), std::string(state_name(m->state()))});
    out[1].push_back({m->name(), m->reason()});
    out[2].push_back({m->name(), m->probes_used()});
    out[3].push_back({m->name(), m->compile_seconds()});
    out[4].push_back({m->name(), m->type()});
    out[5].push_back({m->name(), m->lost_events()});
  }
}

}  // namespace bcc
