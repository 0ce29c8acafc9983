// Log lines that anyone can cause at will (refused stores, threads started
// and ended in a followed process) must not fill the disk: each kind goes
// through a limiter that lets a burst through per window, then holds lines
// back and says how many when the next window lets one through.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace bcc {

class LogLimit {
 public:
  using Clock = std::chrono::steady_clock;
  LogLimit(unsigned burst, std::chrono::seconds window) : burst_(burst), window_(window) {}

  // Whether a line may be written at `now`. When it may, `note` is "" or
  // " (N similar lines not logged)" for the lines held back since the last
  // one written: append it to the line.
  bool allow(Clock::time_point now, std::string* note);
  bool allow(std::string* note) { return allow(Clock::now(), note); }

 private:
  std::mutex lock_;
  unsigned burst_;
  std::chrono::seconds window_;
  Clock::time_point window_start_{};
  unsigned written_ = 0;
  uint64_t held_back_ = 0;
};

}  // namespace bcc
