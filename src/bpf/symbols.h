// Names of code addresses, kernel and user, through libbcc's symbol caches
// (kallsyms for the kernel, /proc/PID/maps and the ELF files for a process).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ebpf {
class BPF;
}

namespace bcc {

class Symbols {
 public:
  Symbols() = default;
  ~Symbols();
  Symbols(const Symbols&) = delete;
  Symbols& operator=(const Symbols&) = delete;

  // "mutex_lock", or "mutex_lock+0x1f" with the offset; "[unknown]" when
  // no symbol covers the address.
  std::string kernel(uint64_t address, bool with_offset = false);
  // The (demangled) function of process `pid` at `address`, "[unknown]"
  // when none; the process must still be running.
  std::string user(int pid, uint64_t address);
  // Forgets what was read of processes (they come and go), keeps kallsyms.
  void forget_processes();

 private:
  std::string resolve(int pid, uint64_t address, bool with_offset);
  std::map<int, void*> caches_;  // pid (-1: kernel) -> bcc symcache
};

// The addresses of stack `stack_id` of a BPF_STACK_TRACE map, innermost
// first; empty for a negative or unknown id.
std::vector<uint64_t> stack_addresses(ebpf::BPF& bpf, const std::string& table, int stack_id);

}  // namespace bcc
