// Map keys are whatever a program writes: every decoder that names keys
// without asking the system (those reading /proc, kallsyms, /sys are left
// out) gets random bytes of random sizes. The first byte picks the decoder
// and the key type.
#include <cstdint>
#include <string>
#include <vector>

#include "module/key_decoders.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<std::string> decoders = {
      "number", "none", "hex", "cpu", "comm", "string", "syscall", "errno",
      "ipv4", "ipv6", "ipv4:port", "ipv6:port"};
  static const std::vector<std::string> types = {"", "u8", "u16", "u32", "u64", "s8",
                                                 "s16", "s32", "s64", "int", "long"};
  if (size == 0) return 0;
  bcc::KeySpec spec;
  spec.decoder = decoders[data[0] % decoders.size()];
  spec.type = types[(data[0] / decoders.size()) % types.size()];
  std::string key(reinterpret_cast<const char*>(data + 1), size - 1);
  if (!bcc::key_spec_problem(spec).empty() || !bcc::key_size_problem(spec, key.size()).empty())
    return 0;
  std::string name = bcc::make_key_decoder(spec)(key);
  // instance names never carry a NUL
  if (name.find('\0') != std::string::npos) __builtin_trap();
  return 0;
}
