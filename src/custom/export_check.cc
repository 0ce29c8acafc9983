#include "custom/export_check.h"

#include "module/key_decoders.h"

namespace bcc {

std::string export_map_problem(const Export& e, const MapInfo& map) {
  std::string which = "map '" + e.map + "'";
  bool histogram = e.kind == ExportKind::log2_histogram || e.kind == ExportKind::linear_histogram;
  if (!map.keyed())
    return which + " is not a hash or an array (BPF map type " + std::to_string(map.type) +
           "): only those can be exported";
  if (histogram && !map.array())
    return which + " is a hash; a histogram needs an array of u64 slots (BPF_HISTOGRAM(" +
           e.map + ") or BPF_ARRAY(" + e.map + ", u64, 64))";
  if (map.value_size != 8)
    return which + " holds " + std::to_string(map.value_size) + "-byte values; " +
           (histogram ? "a histogram's slots" : "exported values") + " must be u64 (8 bytes)";
  if (histogram) return "";
  std::string key = key_size_problem(e.key, map.key_size);
  return key.empty() ? "" : which + ": " + key;
}

}  // namespace bcc
