#include "module/hit_counters.h"

#include "bpf/tables.h"

namespace bcc {

std::string hit_function(size_t index) { return "hit_" + std::to_string(index); }

std::vector<std::string> hit_counter_defines(size_t count) {
  std::string functions;
  for (size_t i = 0; i < count; i++) functions += "HIT_FUNCTION(" + std::to_string(i) + ") ";
  return {"PROBE_COUNT=" + std::to_string(count ? count : 1), "PROBE_FUNCTIONS=" + functions};
}

MetricSpec hit_counter(std::string name, std::shared_ptr<const std::vector<std::string>> names,
                       std::string oneline, std::string help) {
  MetricSpec m = make_metric(std::move(name), PM_TYPE_U64, PM_SEM_COUNTER, count_units(),
                             std::move(oneline), std::move(help));
  m.read = [names](Maps& bpf, std::vector<Sample>& out) {
    std::vector<uint64_t> slots = read_u64_array(bpf, "hits");
    for (size_t i = 0; i < slots.size() && i < names->size(); i++)
      if (!(*names)[i].empty()) out.push_back({(*names)[i], slots[i]});
  };
  return m;
}

MetricSpec hit_total(std::string name, size_t index, std::string oneline, std::string help) {
  MetricSpec m = make_metric(std::move(name), PM_TYPE_U64, PM_SEM_COUNTER, count_units(),
                             std::move(oneline), std::move(help));
  m.has_instances = false;
  m.read = [index](Maps& bpf, std::vector<Sample>& out) {
    std::vector<uint64_t> slots = read_u64_array(bpf, "hits");
    if (index < slots.size()) out.push_back({"", slots[index]});
  };
  return m;
}

}  // namespace bcc
