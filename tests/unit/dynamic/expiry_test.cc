// Programs registered without a name expire when nothing fetches their
// metrics.
#include "dynamic/expiry.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

using namespace bcc::dynamic;

namespace {

TEST(Expiry, UnfetchedProgramsExpireAfterTheirTime) {
  using namespace std::chrono;
  ExpiryTracker tracker(60);
  auto t0 = ExpiryTracker::Clock::time_point{} + hours(1);
  tracker.track("prog1", t0);
  tracker.track("prog2", t0 + seconds(30));
  EXPECT_TRUE(tracker.expired(t0 + seconds(59)).empty());
  EXPECT_EQ(tracker.expired(t0 + seconds(60)), std::vector<std::string>{"prog1"});
  EXPECT_EQ(tracker.expired(t0 + seconds(95)), (std::vector<std::string>{"prog1", "prog2"}));
}

TEST(Expiry, AFetchPostponesIt) {
  using namespace std::chrono;
  ExpiryTracker tracker(60);
  auto t0 = ExpiryTracker::Clock::time_point{} + hours(1);
  tracker.track("prog1", t0);
  tracker.used("prog1", t0 + seconds(50));
  tracker.used("prog1", t0 + seconds(10));  // older news changes nothing
  tracker.used("named", t0 + seconds(50));  // never tracked: ignored
  EXPECT_TRUE(tracker.expired(t0 + seconds(100)).empty());
  EXPECT_EQ(tracker.expired(t0 + seconds(110)), std::vector<std::string>{"prog1"});
  tracker.forget("prog1");
  EXPECT_TRUE(tracker.expired(t0 + hours(5)).empty());
}

TEST(Expiry, ZeroMeansNever) {
  ExpiryTracker tracker(0);
  auto t0 = ExpiryTracker::Clock::time_point{};
  tracker.track("prog1", t0);
  EXPECT_TRUE(tracker.expired(t0 + std::chrono::hours(1000)).empty());
}

}  // namespace
