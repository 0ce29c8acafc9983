// An export against the shape of the map it names.
#include "custom/export_check.h"

#include <gtest/gtest.h>
#include <linux/bpf.h>

#include <string>

#include "custom/export_spec.h"

namespace bcc {
namespace {

TEST(ExportCheck, MapShapes) {
  MapInfo array{BPF_MAP_TYPE_ARRAY, 4, 8, 64};
  MapInfo hash{BPF_MAP_TYPE_HASH, 4, 8, 1024};
  MapInfo small_values{BPF_MAP_TYPE_HASH, 4, 4, 1024};
  MapInfo perf{BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, 2};
  Export dist = parse_export("dist:histogram:usec");
  Export calls = parse_export("calls:counter:key=u32:syscall");
  EXPECT_EQ(export_map_problem(dist, array), "");
  EXPECT_NE(export_map_problem(dist, hash).find("needs an array"), std::string::npos);
  EXPECT_EQ(export_map_problem(calls, hash), "");
  EXPECT_NE(export_map_problem(calls, small_values).find("4-byte values"), std::string::npos);
  EXPECT_NE(export_map_problem(calls, perf).find("not a hash or an array"), std::string::npos);
  MapInfo wide_keys{BPF_MAP_TYPE_HASH, 8, 8, 1024};
  EXPECT_NE(export_map_problem(calls, wide_keys).find("not u32"), std::string::npos);
}

}  // namespace
}  // namespace bcc
