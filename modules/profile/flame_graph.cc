#include "flame_graph.h"

#include <nlohmann/json.hpp>

namespace bcc {

struct FlameGraph::Node {
  std::string name;
  std::string libtype;  // "" for the root: null in JSON
  uint64_t value = 0;
  std::vector<std::unique_ptr<Node>> children;  // in order of first sample
  std::map<std::string, Node*> by_name;

  Node* child(const StackFrame& frame) {
    auto it = by_name.find(frame.name);
    if (it != by_name.end()) return it->second;
    children.push_back(std::make_unique<Node>());
    Node* n = children.back().get();
    n->name = frame.name;
    n->libtype = frame.libtype;
    by_name[frame.name] = n;
    return n;
  }

  nlohmann::ordered_json to_json() const {
    nlohmann::ordered_json j;
    j["name"] = name;
    j["libtype"] = libtype.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(libtype);
    j["value"] = value;
    j["children"] = nlohmann::ordered_json::array();
    for (const auto& c : children) j["children"].push_back(c->to_json());
    return j;
  }
};

FlameGraph::FlameGraph() : root_(std::make_unique<Node>()) { root_->name = "root"; }
FlameGraph::~FlameGraph() = default;

void FlameGraph::add(const std::vector<StackFrame>& path, uint64_t count) {
  Node* node = root_.get();
  node->value += count;
  for (const StackFrame& frame : path) {
    node = node->child(frame);
    node->value += count;
  }
}

uint64_t FlameGraph::total() const { return root_->value; }

// Names come from symbol tables and comm, which may hold any bytes: invalid
// UTF-8 is replaced rather than failing the whole graph.
std::string FlameGraph::json() const {
  return root_->to_json().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace bcc
