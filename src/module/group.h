// A cluster of metrics as the PMDA layer sees it: a module, or the agent's
// own status metrics.
#pragma once

#include <string>
#include <vector>

#include "module/spec.h"

namespace bcc {

class MetricGroup {
 public:
  virtual ~MetricGroup() = default;
  virtual const std::string& name() const = 0;  // the bcc_module label
  virtual unsigned cluster() const = 0;
  virtual const std::string& prefix() const = 0;
  virtual const std::vector<MetricSpec>& metrics() const = 0;
  virtual std::string instances_help() const = 0;
  virtual InstanceLabels instance_labels() const = 0;
  virtual bool has_instances() const = 0;
  // Instance ids are the number each name starts with (a pid) rather than
  // ids the agent assigns (see ModuleSpec::instance_ids_from_names).
  virtual bool instance_ids_from_names() const { return false; }
  // Current values: out[i] for metrics()[i]; empty when there are none.
  virtual void read(std::vector<std::vector<Sample>>& out) = 0;
  // A value pmstore sent to metrics()[item]: 0 or a PCP error code.
  virtual int store(size_t item, const std::string& instance, const Value& value) {
    return PM_ERR_PERMISSION;
  }
  // Appended to every metric's long help: facts of the running kernel, such
  // as which probes the group uses here. "" for none.
  virtual std::string help_note() const { return ""; }
  // Read after every other group of the same fetch: a group that reports
  // on the modules and takes what their reads found (bcc.pmda.map.entries).
  virtual bool reads_after_modules() const { return false; }
};

}  // namespace bcc
