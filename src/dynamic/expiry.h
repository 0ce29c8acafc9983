// When programs registered without a name expire: `expiry` seconds after
// their registration or the last fetch of their metrics, whichever is later.
// Named programs stay until deregistered. Time is passed in, for tests.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace bcc::dynamic {

class ExpiryTracker {
 public:
  using Clock = std::chrono::steady_clock;

  // `seconds` 0: nothing expires.
  explicit ExpiryTracker(unsigned seconds) : seconds_(seconds) {}

  // Starts tracking an unnamed program (named ones are never tracked).
  void track(const std::string& name, Clock::time_point now) { last_use_[name] = now; }
  // Its metrics were fetched.
  void used(const std::string& name, Clock::time_point now);
  void forget(const std::string& name) { last_use_.erase(name); }
  // Programs whose time is up (still tracked: forget() them once removed).
  std::vector<std::string> expired(Clock::time_point now) const;

 private:
  unsigned seconds_;
  std::map<std::string, Clock::time_point> last_use_;
};

}  // namespace bcc::dynamic
