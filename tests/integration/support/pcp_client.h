// Reading metrics through pmcd with the PCP client library, as any PCP
// tool does.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace bcc::test {

struct MetricInfo {
  int type = 0;
  int semantics = 0;
  std::string units;  // as pmUnitsStr prints them: "microsec"
  bool has_indom = false;
  std::string oneline;
  std::string help;
};

// Each call opens a fresh context, so names added by a reinstalled agent are seen.
class PcpClient {
 public:
  // instance name ("" for a singular metric) -> value; throws std::runtime_error
  // naming the metric and PCP's error.
  std::map<std::string, uint64_t> numbers(const std::string& metric);
  std::map<std::string, std::string> strings(const std::string& metric);
  std::map<std::string, double> doubles(const std::string& metric);
  MetricInfo describe(const std::string& metric);
  // Whether the name exists in pmcd's namespace.
  bool exists(const std::string& metric);
  // Every metric name below `prefix`.
  std::vector<std::string> names(const std::string& prefix);
  // Sum over instances.
  uint64_t total(const std::string& metric);
  // Several metrics of one instance domain in ONE fetch, so that a table
  // the agent replaces between two fetches cannot mix rows: instance name
  // -> metric -> value as text (as pmAtomStr prints it; strings unquoted).
  std::map<std::string, std::map<std::string, std::string>> rows(
      const std::vector<std::string>& metrics);
};

// Runs a shell command; returns its standard output (and error, with 2>&1).
std::string run(const std::string& command, int* status = nullptr);

}  // namespace bcc::test
