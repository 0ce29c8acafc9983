// execsnoop's user-space half: joins the per-argument events an exec()
// produces with its return event, applies the filters, and keeps the
// newest in an event table (comm, pid, ppid, ret, args).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "config/pattern.h"
#include "execsnoop.h"
#include "module/event_table.h"

namespace bcc {

struct ExecFilters {
  bool include_failed = false;
  std::optional<config::Pattern> command;  // searched in the command name
  std::optional<config::Pattern> args;     // searched in the arguments joined by spaces
};

// Columns of the event table.
enum ExecColumn : size_t { exec_comm, exec_pid, exec_ppid, exec_ret, exec_args };

class ExecEvents {
 public:
  using Clock = std::chrono::steady_clock;
  // `table` (the module's collector's) outlives this.
  ExecEvents(EventTable& table, ExecFilters filters,
             std::function<Clock::time_point()> now = Clock::now);
  // One record (struct execsnoop_event) as the perf buffer delivers it;
  // not thread-safe (one draining thread calls it).
  void on_record(const void* data, size_t size);
  // exec()s whose arguments came and whose return has not (yet)
  size_t pending() const { return pending_.size(); }

 private:
  struct Pending {
    std::string args;  // joined by spaces
    Clock::time_point started;
  };
  void forget_lost(Clock::time_point now);

  EventTable& table_;
  ExecFilters filters_;
  std::function<Clock::time_point()> now_;
  // arguments of exec()s that have not returned yet, by pid
  std::unordered_map<uint32_t, Pending> pending_;
  Clock::time_point next_sweep_{};
};

// A regex option: nullopt when unset; throws config::ConfigError naming the
// option when it does not compile.
std::optional<config::Pattern> regex_option(const std::string& name, const std::string& text);

}  // namespace bcc
