#include "bpf/symbols.h"

#include <bcc/BPF.h>
#include <bcc/bcc_syms.h>

#include <cstdio>

namespace bcc {

Symbols::~Symbols() {
  for (auto& [pid, cache] : caches_) bcc_free_symcache(cache, pid);
}

std::string Symbols::resolve(int pid, uint64_t address, bool with_offset) {
  auto it = caches_.find(pid);
  if (it == caches_.end()) it = caches_.emplace(pid, bcc_symcache_new(pid, nullptr)).first;
  bcc_symbol symbol{};
  if (!it->second || bcc_symcache_resolve(it->second, address, &symbol) != 0)
    return "[unknown]";
  std::string name = symbol.demangle_name ? symbol.demangle_name
                     : symbol.name        ? symbol.name
                                          : "[unknown]";
  bcc_symbol_free_demangle_name(&symbol);
  if (with_offset) {
    char offset[32];
    std::snprintf(offset, sizeof offset, "+0x%llx",
                  static_cast<unsigned long long>(symbol.offset));
    name += offset;
  }
  return name;
}

std::string Symbols::kernel(uint64_t address, bool with_offset) {
  return resolve(-1, address, with_offset);
}

std::string Symbols::user(int pid, uint64_t address) {
  return resolve(pid > 0 ? pid : -1, address, false);
}

void Symbols::forget_processes() {
  for (auto it = caches_.begin(); it != caches_.end();) {
    if (it->first < 0) {
      ++it;
      continue;
    }
    bcc_free_symcache(it->second, it->first);
    it = caches_.erase(it);
  }
}

std::vector<uint64_t> stack_addresses(ebpf::BPF& bpf, const std::string& table, int stack_id) {
  if (stack_id < 0) return {};
  std::vector<uint64_t> out;
  for (uintptr_t a : bpf.get_stack_table(table).get_stack_addr(stack_id)) out.push_back(a);
  return out;
}

}  // namespace bcc
