// fs.ext4dist on fake maps: bcc.fs.ext4.latency.{open,read,write,fsync} are
// the log2 histograms of fsdist.bpf's per-CPU arrays dist_open, dist_read,
// dist_write and dist_fsync (64 slots each); the four share one instance
// domain, so each shows the buckets up to the highest filled in any of them.
#include "histogram_samples.h"
#include "module_harness.h"

using namespace bcc;
using bcc::testing::buckets;
using bcc::testing::Buckets;
using bcc::testing::dist_with;
using bcc::testing::ModuleHarness;

namespace {

TEST(Ext4dist, EachOperationFromItsOwnMapOnSharedBuckets) {
  ModuleHarness h("fs.ext4dist");
  h.maps.slots["dist_open"] = dist_with({{0, 1}, {1, 2}});
  h.maps.slots["dist_read"] = dist_with({{2, 30}});
  h.maps.slots["dist_write"] = dist_with({{4, 40}});
  h.maps.slots["dist_fsync"] = dist_with({{3, 7}});
  auto values = h.fetch();
  EXPECT_EQ(buckets(values["fs.ext4.latency.open"]),
            (Buckets{{"0-1", 3}, {"2-3", 0}, {"4-7", 0}, {"8-15", 0}}));
  EXPECT_EQ(buckets(values["fs.ext4.latency.read"]),
            (Buckets{{"0-1", 0}, {"2-3", 30}, {"4-7", 0}, {"8-15", 0}}));
  EXPECT_EQ(buckets(values["fs.ext4.latency.write"]),
            (Buckets{{"0-1", 0}, {"2-3", 0}, {"4-7", 0}, {"8-15", 40}}));
  EXPECT_EQ(buckets(values["fs.ext4.latency.fsync"]),
            (Buckets{{"0-1", 0}, {"2-3", 0}, {"4-7", 7}, {"8-15", 0}}));
  for (const char* map : {"dist_open", "dist_read", "dist_write", "dist_fsync"})
    EXPECT_EQ(h.maps.slot_reads[map], 1) << map;  // once per fetch though read by four metrics
  EXPECT_EQ(h.maps.slot_reads.size(), 4u);
}

TEST(Ext4dist, AllEmptyGivesTheFirstBucketOnly) {
  ModuleHarness h("fs.ext4dist");
  for (const char* map : {"dist_open", "dist_read", "dist_write", "dist_fsync"})
    h.maps.slots[map] = dist_with({});
  auto values = h.fetch();
  for (const char* op : {"open", "read", "write", "fsync"})
    EXPECT_EQ(buckets(values[std::string("fs.ext4.latency.") + op]), (Buckets{{"0-1", 0}})) << op;
}

TEST(Ext4dist, MetricNamesAreTheFourOperations) {
  ModuleHarness h("fs.ext4dist");
  std::vector<std::string> names;
  for (const auto& m : h.spec().metrics()) names.push_back(m.name);
  EXPECT_EQ(names, (std::vector<std::string>{"fs.ext4.latency.open", "fs.ext4.latency.read",
                                             "fs.ext4.latency.write", "fs.ext4.latency.fsync"}));
}

}  // namespace
