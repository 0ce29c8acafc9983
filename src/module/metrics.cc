#include "module/metrics.h"

#include "bpf/histogram.h"
#include "bpf/tables.h"

namespace bcc {

MetricSpec log2_histogram(std::string name, std::string table, int time_scale,
                          std::string oneline, std::string help) {
  MetricSpec m;
  m.name = std::move(name);
  m.type = PM_TYPE_U64;
  m.semantics = PM_SEM_COUNTER;
  m.units = time_units(time_scale);
  m.oneline = std::move(oneline);
  m.help = std::move(help);
  m.labels = InstanceLabels::histogram;
  m.read = [table](ebpf::BPF& bpf, std::vector<Sample>& out) {
    log2_samples(read_u64_array(bpf, table), out);
  };
  return m;
}

}  // namespace bcc
