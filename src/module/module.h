// A configured module at run time: its program, its probes, its state.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <string>
#include <vector>

#include "bpf/kernel.h"
#include "bpf/process_filter.h"
#include "bpf/program.h"
#include "config/agent_config.h"
#include "module/group.h"
#include "module/options.h"

namespace bcc {

// partial: running, but without some optional probes (see reason());
// postponed: its probes name processes and none matches yet.
enum class ModuleState { configured, active, partial, postponed, failed };
const char* state_name(ModuleState state);

class Module : public MetricGroup {
 public:
  // A section with a configuration problem: it keeps its status, nothing else.
  Module(config::ModuleSection section, std::string prefix, std::string problem);
  // A well-configured section, ready to start; runs the spec's configure
  // hooks, which may throw config::ConfigError.
  Module(config::ModuleSection section, std::string prefix, ModuleSpec spec,
         ModuleOptions options);
  ~Module() override;

  // Compiles and attaches, each probe through its chain of alternatives;
  // returns false and records why when the module cannot run. `kernel`
  // must outlive the module. With `live_processes` (process_refresh set), a
  // module whose probes name processes that do not exist yet is postponed
  // rather than failed.
  bool start(const std::string& modules_dir, const KernelProbes& kernel,
             bool live_processes = false);
  void stop();
  void free_compiler_memory();
  // Rescans the processes of the `process` filter and updates the program's
  // pid map, or re-arms probes that name pids; logs when the set changes.
  void refresh_processes();

  bool runnable() const { return spec_.has_value(); }  // declared metrics
  ModuleState state() const { return state_; }
  const std::string& reason() const { return reason_; }
  const std::string& type() const { return section_.type; }
  std::string probes_used() const;  // "wakeup=tracepoint sched:sched_wakeup, ..."
  // Optional probes the kernel could not serve, and why.
  const std::vector<std::pair<std::string, std::string>>& probes_missing() const {
    return missing_;
  }
  double compile_seconds() const { return compile_seconds_; }
  uint64_t lost_events() const { return lost_events_; }
  // The loaded functions (name, descriptor) and maps (name, descriptor) of
  // an active module, for the kernel's statistics on them.
  std::vector<std::pair<std::string, int>> program_fds();
  std::vector<std::pair<std::string, int>> map_fds();

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
  bool arm();
  // "probe 'a': why; probe 'b': why" for the optional probes left out
  std::string describe_missing() const;
  // compiler messages naming the spec's program origin, when it has one
  std::string with_origin(std::string compiler_text) const;
  void postpone();
  std::vector<int> pids_to_arm() const;
  void update_filter_map();
  std::string try_start(const std::string& source, const std::vector<std::string>& base_defines,
                        const KernelProbes& kernel, std::set<ProbeAlternative>& failed,
                        bool& retry);
  std::string after_attach();
  void poll_perf_buffers();
  void start_periodic_tasks();
  void run_periodic_tasks();
  void run_task(const ModuleSpec::Periodic& periodic);
  static void on_perf_event(void* cookie, void* data, int size);
  static void on_perf_lost(void* cookie, uint64_t lost);

  config::ModuleSection section_;
  std::string prefix_;
  std::optional<ModuleSpec> spec_;
  std::optional<ModuleOptions> options_;
  std::unique_ptr<Program> program_;
  ModuleState state_ = ModuleState::configured;
  std::string reason_;
  std::vector<std::pair<std::string, ProbeAlternative>> used_;
  std::vector<std::string> map_names_;
  std::vector<std::pair<std::string, std::string>> missing_;  // probe, why
  bool serves(const MetricSpec& metric) const;  // none of its probes is missing
  double compile_seconds_ = 0;
  std::string last_read_error_;
  std::optional<ProcessFilter> processes_;
  std::vector<int> followed_pids_;
  bool scanned_ = false;
  // for modules whose probes name pids: what they are armed for, and what
  // re-arming them needs
  std::vector<int> armed_pids_;
  std::string modules_dir_;
  const KernelProbes* kernel_ = nullptr;
  bool live_processes_ = false;
  std::atomic<uint64_t> lost_events_{0};
  std::atomic<bool> polling_{false};
  std::thread poller_;
  // one per perf buffer: the handler the C callback reaches through its cookie
  struct PerfSink {
    Module* module;
    const PerfHandler* handler;
  };
  std::vector<std::unique_ptr<PerfSink>> sinks_;
  // periodic tasks (ModuleSpec::every) with a period run on this thread;
  // ticker_lock_ is held while any task runs, so tasks never overlap
  std::thread ticker_;
  std::mutex ticker_lock_;
  std::condition_variable ticker_wake_;
  bool ticker_stopping_ = false;
  std::string last_task_error_;
};

}  // namespace bcc
