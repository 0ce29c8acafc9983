// The base of the agent's own metric groups (bcc.pmda.*, bcc.control.*,
// bcc.info.*): a fixed cluster in the reserved range, the "pmda" label, no
// histogram labels. A group declares its metrics and reads its values.
#pragma once

#include <string>
#include <vector>

#include "module/group.h"

namespace bcc {

class AgentGroup : public MetricGroup {
 public:
  // `instances_help` "" for a group of singular metrics.
  AgentGroup(unsigned cluster, std::string prefix, std::string instances_help);

  const std::string& name() const override { return name_; }
  unsigned cluster() const override { return cluster_; }
  const std::string& prefix() const override { return prefix_; }
  const std::vector<MetricSpec>& metrics() const override { return metrics_; }
  std::string instances_help() const override { return instances_help_; }
  InstanceLabels instance_labels() const override { return InstanceLabels::none; }
  bool has_instances() const override { return !instances_help_.empty(); }

 protected:
  // Declares the next item: `name` below the prefix ("pmda.module.state").
  void declare(std::string name, int type, int semantics, pmUnits units, std::string oneline,
               std::string help);

 private:
  std::string name_ = "pmda";
  unsigned cluster_;
  std::string prefix_;
  std::string instances_help_;
  std::vector<MetricSpec> metrics_;
};

}  // namespace bcc
