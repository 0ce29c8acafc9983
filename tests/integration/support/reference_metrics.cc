#include "support/reference_metrics.h"

#include <stdlib.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <vector>

namespace bcc::test {

std::map<std::string, std::string> reference_metrics(std::string* where) {
  const std::string tail = "/shared/reference/python-agent-metrics.tsv";
  std::vector<std::string> candidates;
  if (const char* env = getenv("BCC_REFERENCE_TSV")) candidates.push_back(env);
  candidates.push_back(std::string(BCC_SOURCE_TREE) + tail);
  candidates.push_back(std::string(BCC_SOURCE_TREE) + "/.." + tail);
  candidates.push_back("/work" + tail);
  std::map<std::string, std::string> metrics;
  for (const std::string& path : candidates) {
    std::ifstream in(path);
    if (!in) continue;
    if (where) *where = path;
    for (std::string line; std::getline(in, line);) {
      if (line.empty() || line[0] == '#') continue;
      std::vector<std::string> f;
      std::stringstream ls(line);
      for (std::string x; std::getline(ls, x, '\t');) f.push_back(x);
      if (f.size() > 3 && f[0] != "module") metrics[f[3]] = f[0];
    }
    return metrics;
  }
  if (where) {
    *where = "not found in:";
    for (const std::string& path : candidates) *where += " " + path;
  }
  return metrics;
}

}  // namespace bcc::test
