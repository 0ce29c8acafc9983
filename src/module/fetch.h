// One fetch of a module's values, as the agent runs it and as unit tests
// run it on fake maps: the module's collector, then every metric's stock
// reader, all on one MapSnapshot of the program's maps, so that each map
// is read from the kernel once per fetch however many metrics and the
// collector read it.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "bpf/maps.h"
#include "module/spec.h"

namespace bcc {

struct FetchError {
  std::string metric;  // the reader's metric; "" for a hook or the collector
  std::string what;
};

// Fills `out` (one list per metric of `spec`). `serves[i]` false: metric i
// has no values (an optional probe it needs is missing). A hook that throws
// ends the fetch with no values at all; a collector that throws leaves the
// metrics it fills without values, a reader that throws its metric.
// Returns what threw. `entry_counts`, when given, gets the entries of each
// map the fetch read whole (MapSnapshot::entry_counts).
std::vector<FetchError> fetch_values(const ModuleSpec& spec, Maps& program,
                                     const std::vector<bool>& serves,
                                     std::vector<std::vector<Sample>>& out,
                                     std::map<std::string, uint64_t>* entry_counts = nullptr);

}  // namespace bcc
