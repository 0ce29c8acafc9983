// Sampled stacks merged into a tree, written as the JSON the retired Python
// agent's profile module produced (and grafana-pcp's flame graph panel reads):
//   {"name": "root", "libtype": null, "value": N, "children": [
//     {"name": "comm", "libtype": "user", "value": n, "children": [...]}, ...]}
// Each node's value is the number of samples at or below it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace bcc {

struct StackFrame {
  std::string name;
  std::string libtype;  // "user" or "kernel"
};

class FlameGraph {
 public:
  FlameGraph();
  ~FlameGraph();
  // Adds `count` samples of the stack `path`, outermost frame first.
  void add(const std::vector<StackFrame>& path, uint64_t count);
  uint64_t total() const;
  std::string json() const;

 private:
  struct Node;
  std::unique_ptr<Node> root_;
};

}  // namespace bcc
