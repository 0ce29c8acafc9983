#include "module/metrics.h"

#include <algorithm>
#include <functional>

#include "module/histogram.h"
#include "bpf/tables.h"

namespace bcc {

MetricSpec log2_histogram(std::string name, std::string table, int time_scale,
                          std::string oneline, std::string help) {
  MetricSpec m = make_metric(std::move(name), PM_TYPE_U64, PM_SEM_COUNTER, time_units(time_scale),
                             std::move(oneline), std::move(help));
  m.labels = InstanceLabels::histogram;
  m.read = [table](Maps& bpf, std::vector<Sample>& out) {
    log2_samples(read_u64_array(bpf, table), out);
  };
  return m;
}

MetricSpec shared_log2_histogram(std::string name, std::string table,
                                 std::vector<std::string> shared_tables, int time_scale,
                                 std::string oneline, std::string help) {
  MetricSpec m = log2_histogram(std::move(name), table, time_scale, std::move(oneline),
                                std::move(help));
  m.read = [table, shared_tables](Maps& bpf, std::vector<Sample>& out) {
    size_t highest = 1;
    for (const std::string& t : shared_tables)
      highest = std::max(highest, highest_log2_slot(read_u64_array(bpf, t)));
    log2_samples(read_u64_array(bpf, table), out, highest);
  };
  return m;
}

MetricSpec linear_histogram(std::string name, std::string table, uint64_t width, pmUnits units,
                            std::string oneline, std::string help) {
  MetricSpec m = make_metric(std::move(name), PM_TYPE_U64, PM_SEM_COUNTER, units,
                             std::move(oneline), std::move(help));
  m.labels = InstanceLabels::histogram;
  m.read = [table, width](Maps& bpf, std::vector<Sample>& out) {
    linear_samples(read_u64_array(bpf, table), width, out);
  };
  return m;
}

MetricSpec hash_counter(std::string name, std::string table, pmUnits units, KeyDecoder namer,
                        std::string oneline, std::string help) {
  MetricSpec m = make_metric(std::move(name), PM_TYPE_U64, PM_SEM_COUNTER, units,
                             std::move(oneline), std::move(help));
  m.read = [table, namer](Maps& bpf, std::vector<Sample>& out) {
    for (auto& [key, value] : read_u64_hash(bpf, table)) {
      std::string instance = namer(key);
      if (!instance.empty()) out.push_back({std::move(instance), value});
    }
  };
  return m;
}

MetricSpec hash_field_counter(std::string name, std::string table, size_t value_offset,
                              pmUnits units, KeyDecoder namer, std::string oneline,
                              std::string help) {
  MetricSpec m = make_metric(std::move(name), PM_TYPE_U64, PM_SEM_COUNTER, units,
                             std::move(oneline), std::move(help));
  m.read = [table, value_offset, namer](Maps& bpf, std::vector<Sample>& out) {
    for (const MapEntry& e : read_entries(bpf, table)) {
      std::string instance = namer(e.key);
      if (!instance.empty()) out.push_back({std::move(instance), field<uint64_t>(e.value, value_offset)});
    }
  };
  return m;
}

namespace {

// A singular counter: the sum `sum_of` computes from the program's maps.
MetricSpec total_counter(std::string name, pmUnits units, std::string oneline, std::string help,
                         std::function<uint64_t(Maps&)> sum_of) {
  MetricSpec m = make_metric(std::move(name), PM_TYPE_U64, PM_SEM_COUNTER, units,
                             std::move(oneline), std::move(help));
  m.has_instances = false;
  m.read = [sum_of](Maps& bpf, std::vector<Sample>& out) { out.push_back({"", sum_of(bpf)}); };
  return m;
}

}  // namespace

MetricSpec hash_total(std::string name, std::string table, pmUnits units, std::string oneline,
                      std::string help) {
  return total_counter(std::move(name), units, std::move(oneline), std::move(help),
                       [table](Maps& bpf) {
                         uint64_t total = 0;
                         for (const auto& [key, value] : read_u64_hash(bpf, table)) total += value;
                         return total;
                       });
}

MetricSpec array_total(std::string name, std::string table, pmUnits units, std::string oneline,
                       std::string help) {
  return total_counter(std::move(name), units, std::move(oneline), std::move(help),
                       [table](Maps& bpf) {
                         uint64_t total = 0;
                         for (uint64_t v : read_u64_array(bpf, table)) total += v;
                         return total;
                       });
}

}  // namespace bcc
