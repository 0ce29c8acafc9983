// bcc.pmda.prog.* and bcc.pmda.map.*: what each module's programs cost the
// kernel (run count and time, with BPF statistics on) and how full its maps
// are. Instances "module::program" and "module::map".
#pragma once

#include <memory>
#include <vector>

#include "module/group.h"
#include "module/module.h"

namespace bcc {

class ProgramStatsGroup : public MetricGroup {
 public:
  ProgramStatsGroup(const std::vector<std::unique_ptr<Module>>& modules, std::string prefix);

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
