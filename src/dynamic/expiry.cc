#include "dynamic/expiry.h"

namespace bcc::dynamic {

void ExpiryTracker::used(const std::string& name, Clock::time_point now) {
  auto it = last_use_.find(name);
  if (it != last_use_.end() && now > it->second) it->second = now;
}

std::vector<std::string> ExpiryTracker::expired(Clock::time_point now) const {
  std::vector<std::string> out;
  if (seconds_ == 0) return out;
  for (const auto& [name, last] : last_use_)
    if (now - last >= std::chrono::seconds(seconds_)) out.push_back(name);
  return out;
}

}  // namespace bcc::dynamic
