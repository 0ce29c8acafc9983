#include "module/interval_epochs.h"

#include <time.h>

#include <cstring>

#include "bpf/tables.h"
#include "module/options.h"

namespace bcc {

uint64_t kernel_monotonic_ns() {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<uint64_t>(now.tv_sec) * 1000000000ull + static_cast<uint64_t>(now.tv_nsec);
}

std::vector<std::string> interval_defines(uint64_t seconds) {
  if (seconds == 0) return {};
  return {"INTERVAL_NS=" + std::to_string(seconds * 1000000000ull) + "ULL"};
}

OptionSpec interval_option(uint64_t max_seconds) {
  return number_option("interval", 1,
                       "seconds each report covers (the last complete interval); 0 = the "
                       "time since the previous fetch",
                       0, max_seconds);
}

std::vector<std::string> interval_option_defines(const ModuleOptions& options) {
  return interval_defines(options.number("interval"));
}

uint64_t interval_option_ns(const ModuleOptions& options) {
  return options.number("interval") * 1000000000ull;
}

IntervalEpochs::IntervalEpochs(uint64_t interval_ns, uint64_t now_ns)
    : since_last_fetch_(interval_ns == 0), current_(interval_ns ? now_ns / interval_ns : 0) {}

bool IntervalEpochs::shown(uint64_t epoch) const {
  return since_last_fetch_ || epoch + 1 == current_;
}

bool IntervalEpochs::expired(uint64_t epoch) const {
  return since_last_fetch_ || epoch + 1 < current_;
}

std::vector<MapEntry> take_last_interval(Maps& maps, const std::string& map, size_t epoch_offset,
                                         const IntervalEpochs& epochs) {
  std::vector<MapEntry> shown;
  for (const MapEntry& e : read_entries(maps, map)) {
    if (e.key.size() < epoch_offset + sizeof(uint64_t)) continue;
    uint64_t epoch;
    memcpy(&epoch, e.key.data() + epoch_offset, sizeof epoch);
    if (epochs.expired(epoch)) delete_entry(maps, map, e.key);
    if (epochs.shown(epoch)) shown.push_back(e);
  }
  return shown;
}

}  // namespace bcc
