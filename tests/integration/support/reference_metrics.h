// The Python BCC agent's metrics (shared/reference/python-agent-metrics.tsv):
// the names dashboards and archives written for that agent use.
#pragma once

#include <map>
#include <string>

namespace bcc::test {

// metric name -> module type; empty, with `*where` saying why, when the
// file cannot be found (it is looked for in $BCC_REFERENCE_TSV, then in
// shared/reference beside or above the source tree, then /work/shared).
std::map<std::string, std::string> reference_metrics(std::string* where);

}  // namespace bcc::test
