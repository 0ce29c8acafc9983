// log2 histograms: bucket names as the Python agent gave them, and
// histograms sharing one instance domain showing the same buckets.
#include "module/histogram.h"

#include <gtest/gtest.h>

#include <vector>

using namespace bcc;

namespace {

TEST(Histogram, BucketNamesFollowThePythonAgent) {
  EXPECT_EQ(log2_bucket_name(0), "0-1");
  EXPECT_EQ(log2_bucket_name(1), "0-1");
  EXPECT_EQ(log2_bucket_name(2), "2-3");
  EXPECT_EQ(log2_bucket_name(3), "4-7");
  EXPECT_EQ(log2_bucket_name(11), "1024-2047");
}

TEST(Histogram, SamplesRunUpToTheHighestNonEmptyBucket) {
  std::vector<uint64_t> slots(64, 0);
  slots[1] = 5;
  slots[4] = 7;
  std::vector<Sample> out;
  log2_samples(slots, out);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0].instance, "0-1");
  EXPECT_EQ(std::get<uint64_t>(out[0].value), 5u);
  EXPECT_EQ(out[2].instance, "4-7");
  EXPECT_EQ(std::get<uint64_t>(out[2].value), 0u);
  EXPECT_EQ(out[3].instance, "8-15");
}

TEST(Histogram, EmptyHistogramStillHasTheFirstBucket) {
  std::vector<Sample> out;
  log2_samples(std::vector<uint64_t>(64, 0), out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].instance, "0-1");
}

TEST(Histogram, BoundsOfBucketNames) {
  EXPECT_EQ(bucket_bounds("4-7"), std::make_pair(uint64_t{4}, uint64_t{7}));
  EXPECT_FALSE(bucket_bounds("7-4"));
  EXPECT_FALSE(bucket_bounds("x-1"));
  EXPECT_FALSE(bucket_bounds("17"));
}

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
