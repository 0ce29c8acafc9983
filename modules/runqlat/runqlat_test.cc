// runqlat on fake maps: bcc.runq.latency is the log2 histogram of the
// per-CPU array `dist` (64 u64 slots, already summed per CPU): slots 0 and 1
// both count as "0-1", slot i as [2^(i-1), 2^i - 1], buckets up to the
// highest non-empty slot, "0-1" always present.
#include "histogram_samples.h"
#include "module_harness.h"

using namespace bcc;
using bcc::testing::buckets;
using bcc::testing::Buckets;
using bcc::testing::ModuleHarness;

namespace {

TEST(Runqlat, BucketsNamedByTheirBoundsUpToTheHighestFilled) {
  ModuleHarness h("runqlat");
  std::vector<uint64_t> dist(64, 0);
  dist[0] = 3, dist[1] = 4, dist[2] = 11, dist[4] = 13, dist[5] = 17;
  h.maps.slots["dist"] = dist;
  EXPECT_EQ(buckets(h.fetch()["runq.latency"]),
            (Buckets{{"0-1", 7}, {"2-3", 11}, {"4-7", 0}, {"8-15", 13}, {"16-31", 17}}));
  EXPECT_EQ(h.maps.slot_reads["dist"], 1);
}

TEST(Runqlat, EmptyHistogramStillHasTheFirstBucket) {
  ModuleHarness h("runqlat");
  h.maps.slots["dist"] = std::vector<uint64_t>(64, 0);
  EXPECT_EQ(buckets(h.fetch()["runq.latency"]), (Buckets{{"0-1", 0}}));
}

TEST(Runqlat, LastSlotReachesTheTopOfU64) {
  ModuleHarness h("runqlat");
  std::vector<uint64_t> dist(64, 0);
  dist[63] = 99;
  h.maps.slots["dist"] = dist;
  Buckets got = buckets(h.fetch()["runq.latency"]);
  ASSERT_EQ(got.size(), 63u);  // "0-1", then slots 2..63
  EXPECT_EQ(got[1], (std::pair<std::string, uint64_t>{"2-3", 0}));
  EXPECT_EQ(got.back(),
            (std::pair<std::string, uint64_t>{"4611686018427387904-9223372036854775807", 99}));
}

TEST(Runqlat, ProcessFilterDoesNotChangeTheHistogram) {
  ModuleHarness h("runqlat", "process = 1\n");
  std::vector<uint64_t> dist(64, 0);
  dist[3] = 5;
  h.maps.slots["dist"] = dist;
  EXPECT_EQ(buckets(h.fetch()["runq.latency"]), (Buckets{{"0-1", 0}, {"2-3", 0}, {"4-7", 5}}));
}

}  // namespace
