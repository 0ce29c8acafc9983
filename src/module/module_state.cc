#include "module/module_state.h"

namespace bcc {

const char* state_name(ModuleState state) {
  switch (state) {
    case ModuleState::configured: return "configured";
    case ModuleState::active: return "active";
    case ModuleState::partial: return "partial";
    case ModuleState::postponed: return "postponed";
    case ModuleState::failed: return "failed";
  }
  return "?";
}

void ModuleStatus::fail(std::string reason) {
  state_ = ModuleState::failed;
  reason_ = std::move(reason);
}

void ModuleStatus::postpone(const std::string& pattern) {
  state_ = ModuleState::postponed;
  reason_ = "no process matches '" + pattern + "' yet: activation postponed";
}

void ModuleStatus::run(const std::vector<std::pair<std::string, std::string>>& missing,
                       const std::vector<std::string>& idle_metrics) {
  state_ = missing.empty() ? ModuleState::active : ModuleState::partial;
  reason_.clear();
  for (const auto& [probe, why] : missing)
    reason_ += (reason_.empty() ? "" : "; ") + ("running without probe '" + probe + "': ") + why;
  std::string idle;
  for (const std::string& metric : idle_metrics) idle += (idle.empty() ? "" : ", ") + metric;
  if (!idle.empty()) reason_ += "; so these metrics have no values: " + idle;
}

void ModuleStatus::rearmed_on_replaced(const std::string& binary) {
  reason_ += (reason_.empty() ? "" : "; ") +
             ("re-armed: " + binary +
              " was replaced while probes were attached to it; processes still running the old "
              "file are no longer counted");
}

void ModuleStatus::detach() {
  if (running()) state_ = ModuleState::configured;
}

}  // namespace bcc
