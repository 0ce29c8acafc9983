// The agent: bcc.conf, the modules it enables, and the tables pmcd reads.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <string>
#include <vector>

#include "bpf/kernel.h"
#include "config/agent_config.h"
#include "dynamic/runtime_programs.h"
#include "module/module.h"
#include "pmda/control_group.h"
#include "pmda/dispatch.h"
#include "pmda/metric_table.h"
#include "pmda/program_stats.h"
#include "pmda/status.h"
#include "pmda/store_access.h"
#include "system/log_limit.h"

namespace bcc {

struct AgentPaths {
  std::string config_file;  // bcc.conf
  std::string modules_dir;  // where the .bpf programs are
};

class Agent : public Served {
 public:
  explicit Agent(AgentPaths paths);
  ~Agent() override;

  // Reads bcc.conf and declares every module's metrics. Throws
  // config::ConfigError for errors in the file or [pmda], and for a module's
  // own error when module_failure_fatal is set.
  void configure(int domain);
  // Compiles and attaches every module, logging progress; false when a
  // module failed and module_failure_fatal is set.
  bool start();
  // Rescans `process` filters every [pmda] process_refresh seconds (if set),
  // and removes expired programs registered at run time (every second).
  void start_process_refresh();
  // Detaches every probe; nothing of ours stays in the kernel.
  void shutdown();
  // One line per configured module: "runqlat: active (probes ...)" or
  // "broken: failed: reason".
  std::vector<std::string> summary() const;
  // Every module active, partial, or postponed until its processes exist.
  bool all_running() const;

  dynamic::RuntimePrograms& runtime_programs() { return *runtime_; }

  // Served (the PMDA callbacks)
  MetricTable& table() override { return *table_; }
  StoreAccess& store_access() override { return store_access_; }
  // Held by every pmcd request and by shutdown, which may come from the
  // signal thread. Recursive: pmdaLabel calls back into the instance labels.
  std::recursive_mutex& lock() override { return lock_; }
  void cluster_fetched(unsigned cluster) override { runtime_->fetched(cluster); }
  void context_ended(int context) override { runtime_->end_context(context); }

 private:
  void start_modules();
  void refresh(Module& module);
  std::unique_lock<std::recursive_mutex> lock_unless_stopping();

  AgentPaths paths_;
  config::AgentConfig config_;
  std::unique_ptr<RunningKernel> kernel_;  // modules re-armed later consult it
  std::vector<std::unique_ptr<Module>> modules_;
  std::unique_ptr<StatusGroup> status_;
  std::unique_ptr<ProgramStatsGroup> program_stats_;
  std::unique_ptr<dynamic::RuntimePrograms> runtime_;
  std::unique_ptr<ControlGroup> control_;
  int stats_fd_ = -1;
  StoreAccess store_access_;  // held open: keeps the kernel's BPF run-time statistics on
  std::unique_ptr<MetricTable> table_;
  std::recursive_mutex lock_;
  std::thread refresher_;
  std::thread housekeeper_;
  LogLimit registration_refusals_log_{5, std::chrono::seconds(60)};  // anyone may store at will
  std::mutex refresher_lock_;
  std::condition_variable refresher_wake_;
  bool stopping_ = false;
};

}  // namespace bcc
