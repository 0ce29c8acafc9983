#include "module/hit_counters.h"

#include "bpf/tables.h"
#include "config/ini.h"
#include "module/options.h"
#include "module/probe_list.h"

namespace bcc {

std::string hit_function(size_t index) { return "hit_" + std::to_string(index); }

std::vector<std::string> hit_counter_defines(size_t count) {
  std::string functions;
  for (size_t i = 0; i < count; i++) functions += "HIT_FUNCTION(" + std::to_string(i) + ") ";
  return {"PROBE_COUNT=" + std::to_string(count ? count : 1), "PROBE_FUNCTIONS=" + functions};
}

MetricSpec hit_counter(std::string name, std::string oneline, std::string help) {
  return make_metric(std::move(name), PM_TYPE_U64, PM_SEM_COUNTER, count_units(),
                     std::move(oneline), std::move(help));
}

std::vector<std::string> HitCounters::defines(const std::vector<int>&) {
  return hit_counter_defines(slots_.size());
}

std::vector<std::string> HitCounters::listed(const ModuleOptions& options,
                                             const std::string& option,
                                             const std::string& default_file,
                                             const std::string& what) {
  std::vector<std::string> probes =
      read_probe_list(options.text(option), options.config_dir(), default_file);
  if (probes.empty())
    throw config::ConfigError(option + ": no " + what + " given (set " + option +
                              ", or list them in " + default_file + ")");
  return probes;
}

void HitCounters::count_pairs(const std::vector<std::string>& probes, const std::string& option,
                              const std::string& form) {
  std::vector<std::string> names;
  for (const std::string& probe : probes) {
    auto [first, second] = split_probe(probe);
    if (first.empty() || second.empty())
      throw config::ConfigError(option + ": '" + probe + "' is not " + form);
    names.push_back(first + "::" + second);
  }
  count_slots(std::move(names));
}

void HitCounters::collect(Maps& maps, Collection& out) {
  std::vector<Sample>* values = out.values(metric_);
  if (!values) return;
  MapSlots hits = read_u64_array(maps, "hits");
  for (size_t i = 0; i < hits.size() && i < slots_.size(); i++)
    if (!slots_[i].empty()) values->push_back({slots_[i], hits[i]});
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
