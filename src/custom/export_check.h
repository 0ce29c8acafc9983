// Whether a map of a loaded custom program can be read as its export says.
#pragma once

#include <string>

#include "bpf/tables.h"
#include "custom/export_spec.h"

namespace bcc {

// "" when `map` suits `e`, else what is wrong with the fix ("map 'dist'
// holds 4-byte values; a histogram's slots must be u64").
std::string export_map_problem(const Export& e, const MapInfo& map);

}  // namespace bcc
