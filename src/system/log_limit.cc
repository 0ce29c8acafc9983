#include "system/log_limit.h"

namespace bcc {

bool LogLimit::allow(Clock::time_point now, std::string* note) {
  std::lock_guard<std::mutex> hold(lock_);
  if (written_ == 0 || now - window_start_ >= window_) {
    window_start_ = now;
    written_ = 0;
  }
  if (written_ >= burst_) {
    held_back_++;
    return false;
  }
  written_++;
  note->clear();
  if (held_back_ > 0)
    *note = " (" + std::to_string(held_back_) + " similar line" + (held_back_ == 1 ? "" : "s") +
            " not logged)";
  held_back_ = 0;
  return true;
}

}  // namespace bcc
