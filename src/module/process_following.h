// A module's processes: the `process` filter of its section (with
// process_user and process_exe), the pids its probes are armed for, the
// program's filter_pids map, and the files its user-space probes are on.
// At each [pmda] process_refresh rescan it says whether the module must be
// re-armed (the matching processes changed, or a binary its probes are on
// was replaced), postponed (none matches any more) or left alone.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bpf/file_identity.h"
#include "bpf/maps.h"
#include "bpf/probe.h"
#include "bpf/process_filter.h"
#include "config/agent_config.h"
#include "module/module_log.h"
#include "module/options.h"
#include "module/spec.h"
#include "system/log_limit.h"

namespace bcc {

// What a rescan found, read from /proc without any lock.
struct ProcessSurvey {
  std::vector<int> matching;       // pids of the processes that match, ascending
  std::vector<int> matching_tids;  // and their threads' ids (modules with a pid map)
};

// The filter a section's options set, if its `process` option is (else
// null); throws
// config::ConfigError naming file, line, section and key for a bad value
// (or a narrowing option without `process`).
std::unique_ptr<ProcessFilter> process_filter_of(const config::ModuleSection& section,
                                                 const ModuleSpec& spec,
                                                 const ModuleOptions& options);

class ProcessFollowing {
 public:
  // Follows nothing: no process filter, probes never re-armed for processes.
  ProcessFollowing() = default;
  // `pattern`: the `process` option's text, for the log.
  ProcessFollowing(std::unique_ptr<ProcessFilter> filter, ProcessArming arming,
                   std::string pattern, ModuleLog log);

  bool follows() const { return filter_ != nullptr; }
  // Its probes name pids (the filter set and ProcessArming not none).
  bool arms_per_process() const { return filter_ && arming_ != ProcessArming::none; }
  const std::string& pattern() const { return pattern_; }

  // Reads only what is fixed at construction: safe without the agent's lock.
  ProcessSurvey survey() const;
  // The pids to arm the probes for: every match, or with first_match the
  // first (logged when the number of matches changes).
  std::vector<int> pids_to_arm(const ProcessSurvey& survey);
  // Sets the program's filter_pids map to the survey's threads (unchanged
  // since the last update: nothing done); logged, with a limit.
  void update_filter_map(Maps& program, const ProcessSurvey& survey);

  // A program was built for `pids` (whether or not it runs).
  void armed_for(std::vector<int> pids) { armed_pids_ = std::move(pids); }
  const std::vector<int>& armed_pids() const { return armed_pids_; }
  // It runs with `used`: the files of its uprobes and USDT probes are
  // watched from now on, as they are now.
  void watch_binaries(const std::vector<std::pair<std::string, ProbeAlternative>>& used);
  using WatchedBinaries = std::vector<std::pair<std::string, std::optional<FileIdentity>>>;
  const WatchedBinaries& watched_binaries() const { return watched_; }
  // A re-arming on `watched` failed: tried again once one of those files
  // changes from what it is now (is installed again), not at every rescan.
  void rearming_failed(WatchedBinaries watched);
  // The program is gone: no binary watched, the filter map forgotten.
  void detached();

  // What a rescan asks of the module.
  struct Plan {
    enum Action { keep, postpone, rearm } action = keep;
    std::vector<int> pids;        // to re-arm for
    std::string replaced_binary;  // "" when the processes changed
  };
  Plan plan(const ProcessSurvey& survey);

 private:
  // The first watched binary that its path no longer names (replaced or
  // removed since), or "".
  std::string replaced_binary() const;

  std::unique_ptr<const ProcessFilter> filter_;
  ProcessArming arming_ = ProcessArming::none;
  std::string pattern_;
  ModuleLog log_ = [](int, const std::string&) {};
  // the threads in the program's filter map, and whether it was set once
  std::vector<int> followed_tids_;
  bool filter_map_set_ = false;
  // (behind a pointer, as it holds a mutex: a module assigns its
  // ProcessFollowing once its options are checked)
  std::unique_ptr<LogLimit> following_log_ =
      std::make_unique<LogLimit>(5, std::chrono::seconds(60));
  std::vector<int> armed_pids_;
  // how many processes matched when "follows the first" was last logged
  // (logged when that changes, not at every rescan)
  size_t matches_logged_ = 0;
  // The files its user-space probes are on, as they were when attached (or
  // when re-arming on them last failed: nullopt while missing), watched at
  // each rescan for a replacement, an overwrite or a return.
  WatchedBinaries watched_;
};

}  // namespace bcc
