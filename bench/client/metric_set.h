// Every metric below a prefix, fetched together through pmcd as a PCP
// client (pmval, pmlogger, Grafana through pmproxy) would.
#pragma once

#include <pcp/pmapi.h>

#include <string>
#include <vector>

namespace bench {

class MetricSet {
 public:
  // A context to the local pmcd; throws std::runtime_error if there is none.
  MetricSet();
  ~MetricSet();
  MetricSet(const MetricSet&) = delete;
  MetricSet& operator=(const MetricSet&) = delete;

  // Looks up every leaf name below `prefix` ("bcc", or several names
  // separated by commas); the number found, or a
  // PCP error code (an agent not ready yet answers PM_ERR_PMDANOTREADY).
  int resolve(const std::string& prefix);
  // One pmFetch of all of them: the number of metrics that came back with
  // values (zero or more instances each), or a negative PCP error code
  // when the fetch failed or some metric answered with an error.
  int fetch();
  size_t size() const { return pmids_.size(); }
  // The metric whose error the last failed fetch() returned ("" when the
  // whole fetch failed).
  const std::string& failed_metric() const { return failed_metric_; }

 private:
  int context_ = -1;
  std::vector<std::string> names_;
  std::vector<pmID> pmids_;
  std::string failed_metric_;
};

}  // namespace bench
