// Histograms sharing one instance domain show the same buckets.
#include <gtest/gtest.h>

#include "module/histogram.h"

using namespace bcc;

namespace {

TEST(SharedHistogram, HighestSlotIgnoresTheFirstTwo) {
  EXPECT_EQ(highest_log2_slot({5, 5, 0, 0}), 1u);
  EXPECT_EQ(highest_log2_slot({0, 0, 0, 1, 0}), 3u);
  EXPECT_EQ(highest_log2_slot({}), 1u);
}

TEST(SharedHistogram, PadsWithZeroBucketsUpToTheSharedHighest) {
  std::vector<uint64_t> slots(64, 0);
  slots[2] = 4;
  std::vector<Sample> out;
  log2_samples(slots, out, 5);
  ASSERT_EQ(out.size(), 5u);  // "0-1", "2-3", "4-7", "8-15", "16-31"
  EXPECT_EQ(out[1].instance, "2-3");
  EXPECT_EQ(std::get<uint64_t>(out[1].value), 4u);
  EXPECT_EQ(out[4].instance, "16-31");
  EXPECT_EQ(std::get<uint64_t>(out[4].value), 0u);
}

TEST(SharedHistogram, OwnHigherBucketsStillShow) {
  std::vector<uint64_t> slots(64, 0);
  slots[6] = 1;
  std::vector<Sample> out;
  log2_samples(slots, out, 3);
  EXPECT_EQ(out.back().instance, "32-63");
}

}  // namespace
