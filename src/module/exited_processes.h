// Per-process instances of processes that have exited: their final totals
// stay for a grace period, then retire.
//
// Modules with one instance per process (bioperpid, netproc, tcpperpid,
// syscount's details) count in kernel hashes keyed by pid. Most processes
// that matter on a busy host (cron jobs, builds, short requests) live less
// than pmlogger's interval: dropped at the first fetch after their exit,
// they would never be seen. So at each fetch the entries of processes that
// are no longer running are taken out of the kernel map and kept here with
// their final values, reported for `exited_grace` seconds after the fetch
// that noticed the exit, then retired.
//
// Taking them out of the kernel (rather than leaving them there until the
// grace ends) is what keeps a new process that is given the same pid from
// adding to the old one's totals: it starts from zero in the kernel, and
// the old process's kept values go as soon as its pid runs again (the
// instance, named by the pid, is the new process's from then on).
//
// Tables handed to this must hold u64 counters only (per-CPU copies
// included): a kept entry that the kernel recreates while its pid is still
// not running (a block request completing after its submitter exited)
// is added to it word by word.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "bpf/tables.h"
#include "module/spec.h"

namespace bcc {

class ModuleOptions;

// The pid (tgid) a per-process map key holds.
using PidOfKey = std::function<int(const std::string& key)>;
// A u32 (width 4) or u64 (width 8) pid at byte `offset` of the key.
PidOfKey pid_in_key(size_t offset = 0, size_t width = 4);

// Whether a process is still running (a test passes its own).
using IsRunning = std::function<bool(int pid)>;

// One table's entries of exited processes: the policy, without the kernel.
class ExitedEntries {
 public:
  using Clock = std::chrono::steady_clock;

  // One fetch: `kernel` is what the kernel map holds now. Takes in the
  // entries of processes that are not running (returns their keys, which
  // the caller deletes from the kernel map), and retires the kept entries
  // whose grace has elapsed or whose pid runs again (reused). Returns the
  // keys to delete from the kernel map.
  std::vector<std::string> update(const std::vector<MapEntry>& kernel, const PidOfKey& pid_of,
                                  const IsRunning& running, Clock::time_point now,
                                  Clock::duration grace);
  // The kernel's entries followed by the kept ones no kernel entry shadows.
  std::vector<MapEntry> with_kept(std::vector<MapEntry> kernel) const;
  size_t size() const { return kept_.size(); }
  void clear() { kept_.clear(); }
  // Pids whose kept entries the last update retired because they run again.
  const std::set<int>& reused() const { return reused_; }

 private:
  struct Kept {
    std::string value;
    int pid = 0;
    Clock::time_point noticed;  // the fetch that first saw the process gone
  };
  std::map<std::string, Kept> kept_;
  std::set<int> reused_;
};

// The mechanism as modules use it: the tables it watches, the grace from
// the module's `exited_grace` option, and the map reads that include the
// kept entries.
class ExitedProcesses {
 public:
  using Clock = ExitedEntries::Clock;

  void watch(std::string table, PidOfKey pid_of);
  void set_grace(std::chrono::seconds grace) { grace_ = grace; }
  std::chrono::seconds grace() const { return grace_; }
  // Off: exited processes are left in the kernel maps (nothing retires
  // them; netproc's remove_stopped_processes = False).
  void set_enabled(bool enabled) { enabled_ = enabled; }
  bool enabled() const { return enabled_; }
  void set_running_check(IsRunning running) { running_ = std::move(running); }
  // The grace from the section's `exited_grace` (exited_grace_option), and
  // whether exited processes are collected at all from its
  // `remove_stopped_processes` where the module declares that flag.
  void configure(const ModuleOptions& options);

  // At each fetch, before the metrics are read: every watched table. Each
  // distinct pid is checked once (a process has an entry per system call,
  // per disk...; tables share pids), not once per entry.
  void collect(Maps& bpf, Clock::time_point now = Clock::now());
  // A watched table's entries to report: the kernel's and the kept ones.
  std::vector<MapEntry> entries(Maps& bpf, const std::string& table) const;
  // Pids whose entries are in the kernel or kept, after the last collect.
  const std::set<int>& known_pids() const { return known_pids_; }
  // Pids given to a new process while an old one's totals were kept, at
  // the last collect (what was known of the old one is stale).
  const std::set<int>& reused_pids() const { return reused_pids_; }

 private:
  struct Table {
    PidOfKey pid_of;
    ExitedEntries exited;
  };
  std::map<std::string, Table> tables_;
  std::chrono::seconds grace_{300};
  bool enabled_ = true;
  IsRunning running_;
  std::set<int> known_pids_;
  std::set<int> reused_pids_;
};

// Default grace: longer than common pmlogger intervals.
constexpr unsigned kDefaultExitedGrace = 300;

// The `exited_grace` option a module with ExitedProcesses declares.
OptionSpec exited_grace_option();
// The flag whose False leaves exited processes in the kernel maps (netproc).
constexpr const char* kRemoveStoppedOption = "remove_stopped_processes";

}  // namespace bcc
