// Text the agent reads back: histogram instance names ("lo-hi", from the
// saved instance cache) and /proc/PID/cmdline contents.
#include <cstdint>
#include <string>

#include "module/histogram.h"
#include "bpf/process_filter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  if (auto bounds = bcc::bucket_bounds(text))
    if (bounds->first > bounds->second) __builtin_trap();
  bcc::join_cmdline(text, "comm");
  return 0;
}
