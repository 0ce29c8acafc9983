#include "pmda/program_stats.h"

#include "bpf/entry_counter.h"
#include "bpf/kernel_stats.h"
#include "config/agent_config.h"
#include "pmda/dispatch.h"

namespace bcc {

ProgramStatsGroup::ProgramStatsGroup(std::function<std::vector<Module*>()> modules,
                                     std::string prefix)
    : AgentGroup(config::kProgramStatsCluster, std::move(prefix),
                 "programs and maps of the active modules, named \"module::program\" and "
                 "\"module::map\""),
      modules_(std::move(modules)) {
  const char* stats_note =
      " Counted by the kernel only while BPF statistics are on: [pmda] prog_stats = True "
      "in bcc.conf (the agent holds BPF_ENABLE_STATS), or sysctl kernel.bpf_stats_enabled=1.";
  declare("pmda.prog.run_count", PM_TYPE_U64, PM_SEM_COUNTER, count_units(),
          "times each BPF program of each module ran",
          std::string("Runs of each loaded program, instance \"module::function\".") +
              stats_note);
  declare("pmda.prog.run_time", PM_TYPE_U64, PM_SEM_COUNTER, time_units(PM_TIME_NSEC),
          "kernel time spent in each BPF program of each module",
          std::string("Nanoseconds the kernel spent running each loaded program, "
                      "instance \"module::function\": what the module costs.") +
              stats_note);
  declare("pmda.map.entries", PM_TYPE_U64, PM_SEM_INSTANT, count_units(),
          "entries in use in each map of each module",
          "Keys present in each hash map (slots, for arrays), instance "
          "\"module::map\". Compare with bcc.pmda.map.capacity: a full map drops "
          "new keys. Counted at the fetch: from the module's read of the map in the "
          "same fetch, else as the kernel counts the hash's entries (Linux 6.6 and "
          "later), else by walking the hash.");
  declare("pmda.map.capacity", PM_TYPE_U64, PM_SEM_DISCRETE, count_units(),
          "capacity of each map of each module", "The map's max_entries, instance \"module::map\".");
  declare("pmda.prog.missed", PM_TYPE_U64, PM_SEM_COUNTER, count_units(),
          "events each BPF program of each module did not see",
          "Times the kernel skipped each loaded program, instance \"module::function\", "
          "because another BPF program was already running on that CPU (its recursion guard): "
          "events that happened but were not counted. Kept by the kernel whether or not BPF "
          "statistics are on.");
}

void ProgramStatsGroup::read(std::vector<std::vector<Sample>>& out) {
  out.assign(metrics().size(), {});
  // the hashes no module read in this fetch: counted with the fetch's one read
  const EntryCounts* counted = fetch_entry_counts();
  for (Module* m : modules_()) {
    if (m->state() != ModuleState::active) continue;
    for (const auto& [function, fd] : m->program_fds()) {
      auto stats = program_stats(fd);
      if (!stats) continue;
      std::string instance = m->name() + "::" + function;
      out[0].push_back({instance, stats->run_count});
      out[1].push_back({instance, stats->run_time_ns});
      out[4].push_back({instance, stats->missed});
    }
    for (const Module::LoadedMap& map : m->loaded_maps()) {
      auto usage = map_usage(map.fd, map.info,
                             m->entries_read_since(map.name, current_fetch_began()), counted);
      if (!usage) continue;
      std::string instance = m->name() + "::" + map.name;
      out[2].push_back({instance, usage->entries});
      out[3].push_back({instance, usage->capacity});
    }
  }
}

}  // namespace bcc
