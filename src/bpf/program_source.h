// What can be read off a BCC program's text without compiling it.
#pragma once

#include <string>
#include <vector>

namespace bcc {

// The names of the maps it declares with BCC's macros (BPF_HASH(start, ...),
// BPF_PERCPU_ARRAY(dist, ...), BPF_PERF_OUTPUT(events)...), in order.
std::vector<std::string> declared_maps(const std::string& source);

}  // namespace bcc
