// execsnoop's user-space half: joins the per-argument events an exec()
// produces with its return event, applies the filters, and keeps the
// newest in an event table (comm, pid, ppid, ret, args).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "module/event_table.h"
#include "config/pattern.h"

namespace bcc {

// The record the program sends, as laid out in execsnoop.bpf.
struct ExecRecord {
  enum Kind : uint32_t { argument = 0, result = 1 };
  uint32_t pid;
  uint32_t ppid;
  uint32_t kind;
  int32_t retval;
  uint32_t index;  // an argument's: 0 (the file name) starts an exec
  char comm[16];
  char arg[128];
};

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
  ExecEvents(std::shared_ptr<EventTable> table, ExecFilters filters,
             std::function<Clock::time_point()> now = Clock::now);
  // One record as the perf buffer delivers it; not thread-safe (one
  // draining thread calls it).
  void on_record(const void* data, size_t size);
  // exec()s whose arguments came and whose return has not (yet)
  size_t pending() const { return pending_.size(); }

 private:
  struct Pending {
    std::string args;  // joined by spaces
    Clock::time_point started;
  };
  void forget_lost(Clock::time_point now);

  std::shared_ptr<EventTable> table_;
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
