#include "pmda/program_stats.h"

#include "bpf/kernel_stats.h"
#include "config/agent_config.h"

namespace bcc {

namespace {

MetricSpec stat_metric(std::string name, int sem, pmUnits units, std::string oneline,
                       std::string help) {
  MetricSpec m = make_metric("pmda." + std::move(name), PM_TYPE_U64, sem, units,
                             std::move(oneline), std::move(help));
  return m;
}

}  // namespace

ProgramStatsGroup::ProgramStatsGroup(const std::vector<std::unique_ptr<Module>>& modules,
                                     std::string prefix)
    : modules_(modules), prefix_(std::move(prefix)) {
  const char* stats_note =
      " Counted by the kernel only while BPF statistics are on: [pmda] prog_stats = True "
      "in bcc.conf (the agent holds BPF_ENABLE_STATS), or sysctl kernel.bpf_stats_enabled=1.";
  metrics_ = {
      stat_metric("prog.run_count", PM_SEM_COUNTER, count_units(),
                  "times each BPF program of each module ran",
                  std::string("Runs of each loaded program, instance \"module::function\".") +
                      stats_note),
      stat_metric("prog.run_time", PM_SEM_COUNTER, time_units(PM_TIME_NSEC),
                  "kernel time spent in each BPF program of each module",
                  std::string("Nanoseconds the kernel spent running each loaded program, "
                              "instance \"module::function\": what the module costs.") +
                      stats_note),
      stat_metric("map.entries", PM_SEM_INSTANT, count_units(),
                  "entries in use in each map of each module",
                  "Keys present in each hash map (slots, for arrays), instance "
                  "\"module::map\". Compare with bcc.pmda.map.capacity: a full map drops "
                  "new keys."),
      stat_metric("map.capacity", PM_SEM_DISCRETE, count_units(),
                  "capacity of each map of each module",
                  "The map's max_entries, instance \"module::map\"."),
  };
}

unsigned ProgramStatsGroup::cluster() const { return config::kProgramStatsCluster; }

std::string ProgramStatsGroup::instances_help() const {
  return "programs and maps of the active modules, named \"module::program\" and \"module::map\"";
}

void ProgramStatsGroup::read(std::vector<std::vector<Sample>>& out) {
  out.assign(metrics_.size(), {});
  for (const auto& m : modules_) {
    if (m->state() != ModuleState::active) continue;
    for (const auto& [function, fd] : m->program_fds()) {
      auto stats = program_stats(fd);
      if (!stats) continue;
      std::string instance = m->name() + "::" + function;
      out[0].push_back({instance, stats->run_count});
      out[1].push_back({instance, stats->run_time_ns});
    }
    for (const auto& [map, fd] : m->map_fds()) {
      auto usage = map_usage(fd);
      if (!usage) continue;
      std::string instance = m->name() + "::" + map;
      out[2].push_back({instance, usage->entries});
      out[3].push_back({instance, usage->capacity});
    }
  }
}

}  // namespace bcc
