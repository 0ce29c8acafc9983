// The `process` option: a filter spec (first line) matched against a
// command line (the rest); bad patterns are rejected, none crash or hang.
#include <cstdint>
#include <stdexcept>
#include <string>

#include "bpf/process_filter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  size_t newline = text.find('\n');
  std::string spec = text.substr(0, newline);
  std::string cmdline = newline == std::string::npos ? "" : text.substr(newline + 1);
  try {
    bcc::ProcessFilter filter(spec);
    filter.matches({42, cmdline.substr(0, 15), bcc::join_cmdline(cmdline, "comm")});
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
