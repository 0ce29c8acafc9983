// Programs registered while the agent runs (pmstore bcc.control.register):
// each is a custom module compiled and attached on a thread of its own, its
// cluster added to the metric table once it runs, removed again on
// deregistration or expiry, when its kernel objects are freed.
//
// Locking: every public call is made under the agent's lock (pmcd's
// requests, the housekeeping thread). A store is answered at once; the
// program is built by a loader process, watched by a thread of the entry's
// own, without the lock; that thread installs the result, taking the
// agent's lock with try_lock only, so that a shutdown holding the lock can
// wait for it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <optional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "bpf/probe.h"
#include "config/agent_config.h"
#include "dynamic/cluster_pool.h"
#include "dynamic/expiry.h"
#include "dynamic/program_name.h"
#include "dynamic/programs_json.h"
#include "module/module.h"
#include "pmda/metric_table.h"
#include "system/log_limit.h"

namespace bcc::dynamic {

class RuntimePrograms {
 public:
  // `taken_names`: sections of bcc.conf (their metrics own bcc.custom.<section>).
  RuntimePrograms(config::DynamicLimits limits, std::string prefix, std::set<std::string> taken_names,
                  std::recursive_mutex& agent_lock);
  ~RuntimePrograms();

  // Bound once the agent has its table and kernel (before any request).
  void bind(MetricTable& table, const KernelProbes& kernel);
  // What registered programs compile against ([pmda] kernel_headers).
  void set_kernel_headers(KernelHeaders mode) { kernel_headers_ = mode; }

  // pmstore bcc.control.register from client `context`: 0 (accepted: being
  // built, json() shows how that ends), PM_ERR_PERMISSION when registration
  // is off, PM_ERR_BADSTORE for a program refused before building (logged;
  // in json() once it has a name).
  int register_program(const std::string& text, int context);
  // 0, or PM_ERR_BADSTORE when no program has that name.
  int deregister(const std::string& name);
  // bcc.info.programs.
  std::string json() const;
  // The name the context's last registration got, or "refused: why".
  std::string last_registration(int context) const;
  void end_context(int context) { last_by_context_.erase(context); }
  // A fetch read `cluster`: postpones the expiry of its program.
  void fetched(unsigned cluster);
  // Removes unnamed programs nobody fetched for [pmda] expiry seconds.
  void expire();
  // The running programs' modules (for bcc.pmda.prog.*).
  std::vector<Module*> running() const;
  // Detaches everything; waits for compiles in progress (they are discarded).
  void shutdown();

 private:
  struct Entry {
    std::string name;
    bool named = false;
    std::optional<unsigned> cluster;
    std::unique_ptr<Module> module;
    std::string error;  // a failure before or after compiling
    bool installed = false;
    std::chrono::steady_clock::time_point started;
    std::thread worker;
    // guarded by jobs_lock_
    bool discard = false;      // deregistered while compiling: dropped once compiled
    bool finished = true;      // no worker runs for it (any more)
  };

  int refuse(int context, int code, const std::string& why);
  void compile(Entry* entry);
  // Under the agent's lock, once compiled: into the table, or failed.
  void install(Entry* entry);
  void remove(const std::string& name, const char* why);
  std::string state_of(const Entry& entry) const;
  size_t places_held() const;
  void prune_failed();
  // Drops discarded entries whose worker has finished.
  void reap();
  Entry* find(const std::string& name);

  config::DynamicLimits limits_;
  KernelHeaders kernel_headers_ = KernelHeaders::automatic;
  std::string prefix_;
  std::set<std::string> taken_names_;
  std::recursive_mutex& agent_lock_;
  MetricTable* table_ = nullptr;
  const KernelProbes* kernel_ = nullptr;
  NameGenerator names_;
  ClusterPool clusters_;
  ExpiryTracker expiry_;
  std::vector<std::unique_ptr<Entry>> entries_;  // in registration order
  std::map<int, std::string> last_by_context_;
  LogLimit refusals_log_{5, std::chrono::seconds(60)};  // anyone may store at will
  mutable std::mutex jobs_lock_;
  bool stopping_ = false;  // guarded by jobs_lock_
};

}  // namespace bcc::dynamic
