// Names of code addresses, kernel and user: /proc/kallsyms for the kernel
// (read once per agent process, shared), elfutils' libdwfl over
// /proc/PID/maps and the ELF files for a process.
#pragma once

#include <cstdint>
#include <istream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bpf/maps.h"

namespace bcc {

// The kernel's text symbols (t, T, w, W lines of /proc/kallsyms), compact:
// one arena of NUL-terminated names and the addresses sorted, each with the
// offset of its name in the arena (a "__pfx_foo" padding symbol shares
// foo's name, marked by the offset's top bit).
class KernelSymbolTable {
 public:
  // Parses kallsyms text ("ffffffff81000000 T _stext [module]" lines).
  // Lines of other types, unparsable lines and zero addresses (kallsyms
  // read without CAP_SYSLOG) are skipped.
  static KernelSymbolTable parse(std::istream& kallsyms);

  // The name of the symbol at or before `address` and the distance from it;
  // "" when the address precedes every symbol.
  std::string find(uint64_t address, uint64_t* offset = nullptr) const;
  size_t size() const { return addresses_.size(); }
  // Bytes of memory held.
  size_t memory() const;

 private:
  std::vector<uint64_t> addresses_;  // sorted
  std::vector<uint32_t> names_;      // offset into arena_ of addresses_[i]'s name
  std::string arena_;
};

// The table of the running kernel, built from /proc/kallsyms at the first
// call in this process (thread-safe) and kept for the process's lifetime.
const KernelSymbolTable& kernel_symbols();
// Builds it now (when a module attaches), rather than at a first fetch.
void preload_kernel_symbols();

// Symbol names for one user of them (a module); not thread-safe: one thread
// at a time per instance.
class Symbols {
 public:
  Symbols();
  ~Symbols();
  Symbols(const Symbols&) = delete;
  Symbols& operator=(const Symbols&) = delete;

  // "mutex_lock", or "mutex_lock+0x1f" with the offset; "[unknown]" when
  // no symbol covers the address.
  std::string kernel(uint64_t address, bool with_offset = false);
  // The (demangled) function of process `pid` at `address`, "[unknown]"
  // when none; the process must still be running, or have been read by
  // read_mappings(). pid <= 0: the kernel.
  std::string user(int pid, uint64_t address);
  // Reads where process `pid`'s files are mapped now, while it runs, for
  // user() to name its addresses later, after it has exited too (its files
  // are then opened by the paths it had mapped).
  void read_mappings(int pid);
  // Forgets what was read of processes (they come and go), keeps kallsyms.
  void forget_processes();

 private:
  struct Process;
  Process& process(int pid);
  std::map<int, std::unique_ptr<Process>> processes_;
};

// A C++ (Itanium ABI) name demangled; others unchanged.
std::string demangle(const char* name);

// The addresses of stack `stack_id` of a BPF_STACK_TRACE map, innermost
// first; empty for a negative or unknown id.
std::vector<uint64_t> stack_addresses(Maps& maps, const std::string& table, int stack_id);

}  // namespace bcc
