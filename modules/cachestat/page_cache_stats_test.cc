#include "page_cache_stats.h"

#include <gtest/gtest.h>

using namespace bcc;

namespace {

TEST(PageCacheStats, DerivesTotalsLikeCachestat) {
  PageCacheStats s;
  s.update({100, 30, 10, 5});  // accessed, added, account_dirtied, buffer_dirtied
  EXPECT_EQ(s.counters().total, 95u);
  EXPECT_EQ(s.counters().misses, 20u);
  EXPECT_EQ(s.counters().hits, 75u);
  EXPECT_EQ(s.counters().dirtied, 5u);
}

TEST(PageCacheStats, IntervalsAccumulateAndNeverGoBack) {
  PageCacheStats s;
  s.update({100, 30, 10, 5});
  // interval: 10 accessed, 0 added, 20 account-dirtied, 50 buffer-dirtied:
  // negative terms clamp to zero instead of lowering the counters
  s.update({110, 30, 30, 55});
  EXPECT_EQ(s.counters().total, 95u);
  EXPECT_EQ(s.counters().misses, 20u);
  EXPECT_EQ(s.counters().hits, 75u);
  EXPECT_EQ(s.counters().dirtied, 55u);
}

TEST(PageCacheStats, MissesAreCappedByTheTotal) {
  PageCacheStats s;
  s.update({10, 50, 0, 0});
  EXPECT_EQ(s.counters().misses, 10u);
  EXPECT_EQ(s.counters().hits, 0u);
}

TEST(PageCacheStats, WithoutAccessCountsMissesStandAlone) {
  PageCacheStats s(false);
  s.update({0, 50, 10, 3});
  EXPECT_EQ(s.counters().misses, 40u);
  EXPECT_EQ(s.counters().hits, 0u);
  EXPECT_EQ(s.counters().total, 0u);
}

TEST(PageCacheStats, ARestartedProgramCountsFromZero) {
  PageCacheStats s;
  s.update({100, 30, 10, 5});
  s.update({4, 2, 0, 0});
  EXPECT_EQ(s.counters().total, 99u);
  EXPECT_EQ(s.counters().misses, 22u);
}

}  // namespace
