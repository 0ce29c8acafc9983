// The agent's own metrics (bcc.pmda.module.*): per configured module, its
// state, why it failed, which probe alternatives it uses, its compile time.
#pragma once

#include <memory>
#include <vector>

#include "module/group.h"
#include "module/module.h"

namespace bcc {

class StatusGroup : public MetricGroup {
 public:
  StatusGroup(const std::vector<std::unique_ptr<Module>>& modules, std::string prefix);

  const std::string& name() const override { return name_; }
  unsigned cluster() const override;
  const std::string& prefix() const override { return prefix_; }
  const std::vector<MetricSpec>& metrics() const override { return metrics_; }
  std::string instances_help() const override;
  InstanceLabels instance_labels() const override { return InstanceLabels::none; }
  bool has_instances() const override { return true; }
  void read(std::vector<std::vector<Sample>>& out) override;

 private:
  const std::vector<std::unique_ptr<Module>>& modules_;
  std::string name_ = "pmda";
  std::string prefix_;
  std::vector<MetricSpec> metrics_;
};

}  // namespace bcc
