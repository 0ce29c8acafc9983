#include "module/exited_processes.h"

#include <unordered_map>
#include <unordered_set>

#include "bpf/process_filter.h"
#include "module/options.h"

namespace bcc {

namespace {

// Adds `more` to `into`, u64 word by word (counters, per-CPU copies too).
void add_counters(std::string& into, const std::string& more) {
  if (into.size() != more.size()) {
    into = more;  // not the same layout: the newer one wins
    return;
  }
  for (size_t off = 0; off + 8 <= into.size(); off += 8) {
    uint64_t sum = field<uint64_t>(into, off) + field<uint64_t>(more, off);
    __builtin_memcpy(&into[off], &sum, sizeof sum);
  }
}

}  // namespace

PidOfKey pid_in_key(size_t offset, size_t width) {
  if (width == 8)
    return [offset](const std::string& key) {
      return static_cast<int>(field<uint64_t>(key, offset));
    };
  return [offset](const std::string& key) {
    return static_cast<int>(field<uint32_t>(key, offset));
  };
}

std::vector<std::string> ExitedEntries::update(const std::vector<MapEntry>& kernel,
                                               const PidOfKey& pid_of, const IsRunning& running,
                                               Clock::time_point now, Clock::duration grace) {
  std::vector<std::string> take;
  reused_.clear();
  for (const MapEntry& e : kernel) {
    int pid = pid_of(e.key);
    if (running(pid)) continue;
    auto it = kept_.find(e.key);
    if (it == kept_.end())
      kept_.emplace(e.key, Kept{e.value, pid, now});
    else
      add_counters(it->second.value, e.value);  // counted after it exited
    take.push_back(e.key);
  }
  for (auto it = kept_.begin(); it != kept_.end();) {
    // a kept pid that runs again is a new process given the same pid
    bool reused = running(it->second.pid);
    if (reused) reused_.insert(it->second.pid);
    if (reused || now - it->second.noticed >= grace)
      it = kept_.erase(it);
    else
      ++it;
  }
  return take;
}

std::vector<MapEntry> ExitedEntries::with_kept(std::vector<MapEntry> kernel) const {
  std::unordered_set<std::string> live;
  for (const MapEntry& e : kernel) live.insert(e.key);
  for (const auto& [key, kept] : kept_)
    if (!live.count(key)) kernel.push_back({key, kept.value});
  return kernel;
}

void ExitedProcesses::watch(std::string table, PidOfKey pid_of) {
  tables_[std::move(table)].pid_of = std::move(pid_of);
}

OptionSpec exited_grace_option() {
  return number_option("exited_grace", kDefaultExitedGrace,
                       "seconds a process that has exited keeps its final totals (0: dropped "
                       "at once)",
                       0, 7 * 86400);
}

void ExitedProcesses::configure(const ModuleOptions& options) {
  grace_ = std::chrono::seconds(options.number("exited_grace"));
  if (options.declares(kRemoveStoppedOption)) enabled_ = options.flag(kRemoveStoppedOption);
}

void ExitedProcesses::collect(Maps& bpf, Clock::time_point now) {
  known_pids_.clear();
  reused_pids_.clear();
  if (!enabled_) {
    for (auto& [name, table] : tables_) {
      table.exited.clear();
      for (const MapEntry& e : read_entries(bpf, name)) known_pids_.insert(table.pid_of(e.key));
    }
    return;
  }
  // kill(pid, 0) per entry was ~8% of a fetch's CPU: one check per pid and fetch
  IsRunning check = running_ ? running_ : IsRunning(process_running);
  std::unordered_map<int, bool> checked;
  IsRunning running = [&check, &checked](int pid) {
    auto [it, first] = checked.try_emplace(pid, false);
    if (first) it->second = check(pid);
    return it->second;
  };
  for (auto& [name, table] : tables_) {
    std::vector<MapEntry> kernel = read_entries(bpf, name);
    for (const std::string& key : table.exited.update(kernel, table.pid_of, running, now, grace_))
      delete_entry(bpf, name, key);
    reused_pids_.insert(table.exited.reused().begin(), table.exited.reused().end());
    for (const MapEntry& e : table.exited.with_kept(std::move(kernel)))
      known_pids_.insert(table.pid_of(e.key));
  }
}

std::vector<MapEntry> ExitedProcesses::entries(Maps& bpf, const std::string& table) const {
  std::vector<MapEntry> kernel = read_entries(bpf, table);
  auto it = tables_.find(table);
  if (!enabled_ || it == tables_.end()) return kernel;
  return it->second.exited.with_kept(std::move(kernel));
}

}  // namespace bcc
