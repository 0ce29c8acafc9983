// A configured module at run time: it starts, re-arms and stops its
// program through the parts that do each (program_build: probes chosen,
// compiled and attached by a loader; process_following: the processes it
// follows and when to re-arm; event_pump: its perf buffers; module_state:
// its state and why), and serves its metrics to the PMDA (MetricGroup).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bpf/kernel.h"
#include "bpf/kernel_headers.h"
#include "config/agent_config.h"
#include "loader/program.h"
#include "module/event_pump.h"
#include "module/fetch.h"
#include "module/group.h"
#include "module/module_log.h"
#include "module/module_state.h"
#include "module/options.h"
#include "module/process_following.h"
#include "module/program_build.h"

namespace bcc {

class Module : public MetricGroup {
 public:
  // A section with a configuration problem: it keeps its status, nothing else.
  Module(config::ModuleSection section, std::string prefix, std::string problem);
  // A well-configured section, ready to start; runs the spec's configure
  // hooks, which may throw config::ConfigError.
  Module(config::ModuleSection section, std::string prefix, ModuleSpec spec,
         ModuleOptions options);
  ~Module() override;

  // Builds and attaches (in a loader process), each probe through its chain
  // of alternatives; returns false and records why when the module cannot
  // run. `kernel` must outlive the module. With `live_processes`
  // (process_refresh set), a module whose probes name processes that do not
  // exist yet is postponed rather than failed. Modules start independently
  // of each other: several may start at once on different threads.
  bool start(const std::string& modules_dir, const KernelProbes& kernel,
             bool live_processes = false);
  void stop();
  // How long a loader may take to build the program before it is killed.
  void set_build_timeout(std::chrono::seconds timeout) { build_settings_.timeout = timeout; }
  // What its program is compiled against ([pmda] kernel_headers).
  void set_kernel_headers(KernelHeaders mode) { build_settings_.kernel_headers = mode; }
  // What the last build was compiled against (the loader's description), or "".
  const std::string& compiled_against() const { return compiled_against_; }

  // Rescanning the processes of the `process` filter, every [pmda]
  // process_refresh seconds, in four steps so that the slow ones hold no
  // lock: survey_processes (without the agent's lock) reads /proc, every
  // process's command line; plan_refresh (under the lock) updates the
  // program's pid map from it, or says which pids its probes must be
  // re-armed for (the matching set changed, or a binary they are on was
  // replaced); build (without the lock) runs the loader; apply_refresh
  // (under the lock) swaps the new program in.
  using ProcessSurvey = bcc::ProcessSurvey;
  // Reads only what is fixed at construction (the filter): safe without the lock.
  ProcessSurvey survey_processes() const;
  struct Refresh {
    std::vector<int> pids;
    std::string replaced_binary;  // "" when the processes changed
  };
  std::optional<Refresh> plan_refresh(const ProcessSurvey& survey);
  using Build = ProgramBuild;
  Build build(const std::vector<int>& pids) const;
  void apply_refresh(const Refresh& refresh, Build build);
  // A refresh's build failed (a library missing for a moment, between
  // an upgrade's removal and its install): tried again once one of the
  // files its probes are on changes from what it is now, not at every rescan.
  void refresh_failed();

  bool runnable() const { return spec_.has_value(); }  // declared metrics
  ModuleState state() const { return status_.state(); }
  const std::string& reason() const { return status_.reason(); }
  const std::string& type() const { return section_.type; }
  // "wakeup=tracepoint sched:sched_wakeup, ..."
  const std::string& probes_used() const { return probes_used_; }
  // Optional probes the kernel could not serve, and why.
  const std::vector<std::pair<std::string, std::string>>& probes_missing() const {
    return missing_;
  }
  double compile_seconds() const { return compile_seconds_; }
  uint64_t lost_events() const { return pump_.lost_events(); }
  // The loaded functions (name, descriptor) and maps of an active module,
  // for the kernel's statistics on them.
  const std::vector<std::pair<std::string, int>>& program_fds() const { return program_fds_; }
  struct LoadedMap {
    std::string name;
    int fd;
    MapInfo info;  // as the kernel said when the program was built
  };
  std::vector<LoadedMap> loaded_maps();
  // The entries of map `map` as this module's last read found them, if that
  // read began at `since` or later and read the map whole: a fetch counts a
  // map once, not once for the module and again for bcc.pmda.map.entries.
  std::optional<uint64_t> entries_read_since(const std::string& map,
                                             std::chrono::steady_clock::time_point since) const;

  // MetricGroup
  const std::string& name() const override { return section_.name; }
  unsigned cluster() const override { return section_.cluster; }
  const std::string& prefix() const override { return prefix_; }
  const std::vector<MetricSpec>& metrics() const override;
  std::string instances_help() const override;
  InstanceLabels instance_labels() const override;
  bool has_instances() const override;
  bool instance_ids_from_names() const override;
  void read(std::vector<std::vector<Sample>>& out) override;
  int store(size_t item, const std::string& instance, const Value& value) override;
  std::string help_note() const override;

 private:
  void fail(std::string reason);
  void postpone();
  // Swaps a built program in: perf buffers, pid map, hooks, state, log.
  bool install(Build build);
  // Perf buffers, the pid map, the spec's hooks; "" or why the module
  // cannot run with its program.
  std::string after_attach();
  std::string attach_readers();
  bool serves(const MetricSpec& metric) const;  // none of its probes is missing

  config::ModuleSection section_;
  std::string prefix_;
  std::optional<ModuleSpec> spec_;
  std::optional<ModuleOptions> options_;
  ModuleLog log_;  // "module [NAME]: ..." into PCP's log
  BuildSettings build_settings_;
  bool live_processes_ = false;
  ModuleStatus status_;
  ProcessFollowing following_;
  // what runs: the program and what its build said
  std::unique_ptr<Program> program_;
  std::vector<std::pair<std::string, ProbeAlternative>> used_;
  // used_ described once (a fetch of the status metrics reads it)
  std::string probes_used_;
  std::vector<std::pair<std::string, int>> program_fds_;  // of used_, set with it
  void set_used(std::vector<std::pair<std::string, ProbeAlternative>> used);
  std::vector<std::string> map_names_;
  std::vector<std::pair<std::string, std::string>> missing_;  // probe, why
  double compile_seconds_ = 0;
  std::string compiled_against_;
  EventPump pump_;  // stopped before the program is closed
  // what the last read found in each map it read whole, and when it began
  std::map<std::string, uint64_t> read_entry_counts_;
  std::chrono::steady_clock::time_point read_began_;
  std::string last_read_error_;
  std::string last_hook_error_;
};

}  // namespace bcc
