// A client that fetches some metrics every 100 ms on a thread of its own,
// as pmlogger or a dashboard would while the test does something slow to
// the agent, and remembers the longest time pmcd took to answer.
#pragma once

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace bcc::test {

class FetchWatch {
 public:
  explicit FetchWatch(std::vector<std::string> metrics);
  ~FetchWatch();  // stops
  FetchWatch(const FetchWatch&) = delete;
  FetchWatch& operator=(const FetchWatch&) = delete;

  // Stops fetching; the figures below stay.
  void stop();
  double longest_seconds() const { return longest_us_ / 1e6; }
  int fetches() const { return fetches_; }
  int failures() const { return failures_; }  // pmFetch errors (pmcd lost the agent...)

 private:
  void loop();

  std::vector<std::string> metrics_;
  std::atomic<bool> stopping_{false};
  std::atomic<long> longest_us_{0};
  std::atomic<int> fetches_{0}, failures_{0};
  std::thread thread_;
};

}  // namespace bcc::test
