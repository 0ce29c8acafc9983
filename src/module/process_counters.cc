#include "module/process_counters.h"

#include <stdexcept>

#include "bpf/tables.h"

namespace bcc {

namespace {

uint64_t sum_words(const std::string& value) {
  uint64_t sum = 0;
  for (size_t off = 0; off + 8 <= value.size(); off += 8) sum += field<uint64_t>(value, off);
  return sum;
}

}  // namespace

ProcessCounters& ProcessCounters::table(std::string name, PidOfKey pid_of, KeyDecoder namer) {
  exited_.watch(name, std::move(pid_of));
  tables_.push_back({std::move(name), std::move(namer), {}});
  return *this;
}

ProcessCounters::Table& ProcessCounters::find(const std::string& table) {
  for (Table& t : tables_)
    if (t.name == table) return t;
  throw std::logic_error("counter of table '" + table + "', which is not declared");
}

MetricSpec ProcessCounters::count(MetricSpec metric, const std::string& table, Counter counter) {
  counter.metric = metric.name;
  find(table).counters.push_back(std::move(counter));
  metric.read = nullptr;  // filled by collect
  return metric;
}

MetricSpec ProcessCounters::field_counter(MetricSpec metric, const std::string& table,
                                          size_t value_offset) {
  return count(std::move(metric), table, {"", false, value_offset});
}

MetricSpec ProcessCounters::summed_counter(MetricSpec metric, const std::string& table) {
  return count(std::move(metric), table, {"", true, 0});
}

void ProcessCounters::configure(const ModuleOptions& options) { exited_.configure(options); }

void ProcessCounters::collect(Maps& maps, Collection& out) {
  collect_exited(maps);
  fill(maps, out);
}

void ProcessCounters::fill(Maps& maps, Collection& out) {
  for (const Table& table : tables_) {
    std::vector<std::vector<Sample>*> lists;
    for (const Counter& c : table.counters) lists.push_back(out.values(c.metric));
    bool any = false;
    for (auto* list : lists) any = any || list;
    if (!any) continue;
    for (const MapEntry& e : exited_.entries(maps, table.name)) {
      std::string name = instance(table.name, e.key);
      if (name.empty()) continue;
      for (size_t i = 0; i < lists.size(); i++) {
        if (!lists[i]) continue;
        const Counter& c = table.counters[i];
        lists[i]->push_back({name, c.summed ? sum_words(e.value) : field<uint64_t>(e.value, c.offset)});
      }
    }
  }
}

std::string ProcessCounters::instance(const std::string& table, const std::string& key) {
  return find(table).namer(key);
}

}  // namespace bcc
