#include "module/collector.h"

#include <stdexcept>

namespace bcc {

std::vector<Sample>* Collection::values(std::string_view metric) {
  for (size_t i = 0; i < metrics_.size(); i++) {
    if (metrics_[i].name != metric) continue;
    if (metrics_[i].read)
      throw std::logic_error("metric '" + metrics_[i].name +
                             "' has a reader of its own: the collector cannot fill it");
    if (i < serves_.size() && !serves_[i]) return nullptr;
    return &out_[i];
  }
  throw std::logic_error("the module declares no metric '" + std::string(metric) + "'");
}

void Collection::add(std::string_view metric, std::string instance, Value value) {
  if (std::vector<Sample>* out = values(metric))
    out->push_back({std::move(instance), std::move(value)});
}

}  // namespace bcc
