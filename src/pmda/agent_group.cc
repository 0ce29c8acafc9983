#include "pmda/agent_group.h"

namespace bcc {

AgentGroup::AgentGroup(unsigned cluster, std::string prefix, std::string instances_help)
    : cluster_(cluster), prefix_(std::move(prefix)), instances_help_(std::move(instances_help)) {}

void AgentGroup::declare(std::string name, int type, int semantics, pmUnits units,
                         std::string oneline, std::string help) {
  MetricSpec m = make_metric(std::move(name), type, semantics, units, std::move(oneline),
                             std::move(help));
  m.has_instances = has_instances();
  metrics_.push_back(std::move(m));
}

}  // namespace bcc
