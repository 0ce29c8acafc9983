// The clusters registered programs take and give back.
#include "dynamic/cluster_pool.h"

#include <gtest/gtest.h>

#include <optional>

using namespace bcc::dynamic;

namespace {

TEST(ClusterPool, RoundRobinOverTheRange) {
  ClusterPool pool(10, 12);
  EXPECT_EQ(pool.take(), 10u);
  EXPECT_EQ(pool.take(), 11u);
  pool.release(10);
  EXPECT_EQ(pool.take(), 12u);  // the freed one waits its turn
  EXPECT_EQ(pool.take(), 10u);
  EXPECT_EQ(pool.take(), std::nullopt);
  pool.release(11);
  EXPECT_EQ(pool.take(), 11u);
}

}  // namespace
