// The state of a configured module and why it is in it: what
// bcc.pmda.module.status and the agent's summary show.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace bcc {

// partial: running, but without some optional probes (see reason());
// postponed: its probes name processes and none matches yet.
enum class ModuleState { configured, active, partial, postponed, failed };
const char* state_name(ModuleState state);

class ModuleStatus {
 public:
  ModuleState state() const { return state_; }
  const std::string& reason() const { return reason_; }
  bool running() const { return state_ == ModuleState::active || state_ == ModuleState::partial; }

  void fail(std::string reason);
  // No process matches `pattern` (its `process` option) yet.
  void postpone(const std::string& pattern);
  // Attached: active, or partial without the optional probes in `missing`
  // (probe, why), which leave `idle_metrics` (full names) without values.
  void run(const std::vector<std::pair<std::string, std::string>>& missing,
           const std::vector<std::string>& idle_metrics);
  // Re-armed because `binary` was replaced while its probes were on it.
  void rearmed_on_replaced(const std::string& binary);
  // Detached: a running module is configured again; a failed or postponed
  // one keeps its state and reason.
  void detach();

 private:
  ModuleState state_ = ModuleState::configured;
  std::string reason_;
};

}  // namespace bcc
