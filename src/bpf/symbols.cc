#include "bpf/symbols.h"

#include "bpf/binaries.h"

#include <bpf/bpf.h>
#include <cxxabi.h>
#include <elfutils/libdwfl.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <numeric>
#include <string_view>
#include <unordered_map>

namespace bcc {

// ---- kernel ----------------------------------------------------------------

namespace {
// Kernels since 6.2 precede each function "foo" with 16 bytes of padding
// named "__pfx_foo" (about half of kallsyms' text symbols): those entries
// point at foo's name in the arena with this bit set rather than copying it.
constexpr uint32_t kPrefixed = 0x80000000u;
constexpr char kPrefix[] = "__pfx_";
constexpr size_t kPrefixLength = sizeof(kPrefix) - 1;
}  // namespace

KernelSymbolTable KernelSymbolTable::parse(std::istream& kallsyms) {
  std::vector<uint64_t> addresses;
  std::vector<uint32_t> names;
  std::string arena;
  std::vector<std::pair<size_t, std::string>> prefixed;  // entry, name after "__pfx_"
  std::string line;
  while (std::getline(kallsyms, line)) {
    // "ADDRESS TYPE NAME[\t[MODULE]]"
    const char* text = line.c_str();
    char* end = nullptr;
    uint64_t address = std::strtoull(text, &end, 16);
    if (end == text || *end != ' ' || address == 0) continue;
    const char* type = end + 1;
    if (!(*type == 't' || *type == 'T' || *type == 'w' || *type == 'W') || type[1] != ' ')
      continue;
    const char* name = type + 2;
    size_t length = std::strcspn(name, " \t");
    if (length == 0 || arena.size() + length + 1 >= kPrefixed) continue;
    addresses.push_back(address);
    if (length > kPrefixLength && std::strncmp(name, kPrefix, kPrefixLength) == 0) {
      names.push_back(0);  // set below
      prefixed.emplace_back(names.size() - 1,
                            std::string(name + kPrefixLength, length - kPrefixLength));
      continue;
    }
    names.push_back(static_cast<uint32_t>(arena.size()));
    arena.append(name, length);
    arena.push_back('\0');
  }
  if (!prefixed.empty()) {
    std::vector<size_t> unmatched;
    {
      std::unordered_map<std::string_view, uint32_t> offsets;
      offsets.reserve(names.size());
      for (size_t at = 0; at < arena.size(); at += std::strlen(arena.c_str() + at) + 1)
        offsets.emplace(std::string_view(arena.c_str() + at), static_cast<uint32_t>(at));
      for (size_t i = 0; i < prefixed.size(); i++) {
        auto it = offsets.find(prefixed[i].second);
        if (it != offsets.end())
          names[prefixed[i].first] = it->second | kPrefixed;
        else
          unmatched.push_back(i);
      }
    }
    for (size_t i : unmatched) {  // a padding symbol without its function: kept whole
      names[prefixed[i].first] = static_cast<uint32_t>(arena.size());
      arena += kPrefix + prefixed[i].second;
      arena.push_back('\0');
    }
  }
  // kallsyms is mostly, not entirely, in address order (modules): sort an
  // index, stably so that of symbols at one address the first listed wins
  std::vector<uint32_t> order(addresses.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return addresses[a] < addresses[b]; });
  KernelSymbolTable table;
  table.addresses_.reserve(order.size());
  table.names_.reserve(order.size());
  for (uint32_t i : order) {
    if (!table.addresses_.empty() && table.addresses_.back() == addresses[i]) continue;
    table.addresses_.push_back(addresses[i]);
    table.names_.push_back(names[i]);
  }
  table.arena_ = std::move(arena);
  table.arena_.shrink_to_fit();
  return table;
}

std::string KernelSymbolTable::find(uint64_t address, uint64_t* offset) const {
  auto it = std::upper_bound(addresses_.begin(), addresses_.end(), address);
  if (it == addresses_.begin()) return "";
  --it;
  if (offset) *offset = address - *it;
  uint32_t name = names_[static_cast<size_t>(it - addresses_.begin())];
  const char* text = arena_.c_str() + (name & ~kPrefixed);
  return name & kPrefixed ? kPrefix + std::string(text) : std::string(text);
}

size_t KernelSymbolTable::memory() const {
  return addresses_.capacity() * sizeof(uint64_t) + names_.capacity() * sizeof(uint32_t) +
         arena_.capacity();
}

const KernelSymbolTable& kernel_symbols() {
  static const KernelSymbolTable table = [] {
    std::ifstream in("/proc/kallsyms");
    return KernelSymbolTable::parse(in);
  }();
  return table;
}

void preload_kernel_symbols() { kernel_symbols(); }

// ---- user ------------------------------------------------------------------

std::string demangle(const char* name) {
  if (!name) return "";
  if (name[0] == '_' && name[1] == 'Z') {
    int status = 0;
    char* readable = abi::__cxa_demangle(name, nullptr, nullptr, &status);
    if (status == 0 && readable) {
      std::string out = readable;
      std::free(readable);
      return out;
    }
    std::free(readable);
  }
  return name;
}

namespace {

// The process whose files libdwfl is opening (its callbacks carry no
// argument of ours): set around every libdwfl call of a Symbols.
thread_local int current_pid = -1;

// Files as the process sees them, through its root (another mount
// namespace: a container), else as libdwfl finds them (this namespace,
// deleted files, the vDSO read from the process's memory).
int find_elf(Dwfl_Module* module, void** userdata, const char* module_name, Dwarf_Addr base,
             char** file_name, Elf** elf) {
  if (module_name[0] == '/' && current_pid > 0) {
    std::string path = "/proc/" + std::to_string(current_pid) + "/root" + module_name;
    int fd = open_binary(path);  // confined to the process's root
    if (fd >= 0) {
      struct stat st;
      if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        *file_name = strdup(path.c_str());
        if (*file_name) return fd;
      }
      close(fd);
    }
  }
  return dwfl_linux_proc_find_elf(module, userdata, module_name, base, file_name, elf);
}

char* no_debuginfo_path = nullptr;
const Dwfl_Callbacks callbacks = {
    find_elf,
    dwfl_standard_find_debuginfo,
    nullptr,  // section_address: only for ET_REL (kernel modules)
    &no_debuginfo_path,
};

struct PidScope {
  explicit PidScope(int pid) : saved(current_pid) { current_pid = pid; }
  ~PidScope() { current_pid = saved; }
  int saved;
};

const char* unknown = "[unknown]";

}  // namespace

struct Symbols::Process {
  Dwfl* dwfl = nullptr;  // nullptr: the process could not be read (gone)
  std::unordered_map<uint64_t, std::string> names;  // resolved addresses
  ~Process() {
    if (dwfl) dwfl_end(dwfl);
  }
};

Symbols::Symbols() = default;
Symbols::~Symbols() = default;

std::string Symbols::kernel(uint64_t address, bool with_offset) {
  uint64_t offset = 0;
  std::string out = kernel_symbols().find(address, &offset);
  if (out.empty()) return unknown;
  if (with_offset) {
    char text[32];
    std::snprintf(text, sizeof text, "+0x%llx", static_cast<unsigned long long>(offset));
    out += text;
  }
  return out;
}

Symbols::Process& Symbols::process(int pid) {
  auto it = processes_.find(pid);
  if (it != processes_.end()) return *it->second;
  PidScope scope(pid);
  auto process = std::make_unique<Process>();
  process->dwfl = dwfl_begin(&callbacks);
  if (process->dwfl) {
    dwfl_report_begin(process->dwfl);
    int rc = dwfl_linux_proc_report(process->dwfl, pid);
    if (dwfl_report_end(process->dwfl, nullptr, nullptr) != 0 || rc != 0) {
      dwfl_end(process->dwfl);
      process->dwfl = nullptr;
    }
  }
  return *processes_.emplace(pid, std::move(process)).first->second;
}

void Symbols::read_mappings(int pid) {
  if (pid > 0) process(pid);
}

std::string Symbols::user(int pid, uint64_t address) {
  if (pid <= 0) return kernel(address);
  PidScope scope(pid);
  Process& process = this->process(pid);
  if (!process.dwfl) return unknown;
  auto known = process.names.find(address);
  if (known != process.names.end()) return known->second;
  std::string name = unknown;
  if (Dwfl_Module* module = dwfl_addrmodule(process.dwfl, address)) {
    GElf_Off offset = 0;
    GElf_Sym symbol;
    const char* found =
        dwfl_module_addrinfo(module, address, &offset, &symbol, nullptr, nullptr, nullptr);
    if (found && *found) name = demangle(found);
  }
  process.names.emplace(address, name);
  return name;
}

void Symbols::forget_processes() { processes_.clear(); }

// ---- stacks ----------------------------------------------------------------

std::vector<uint64_t> stack_addresses(Maps& maps, const std::string& table, int stack_id) {
  if (stack_id < 0) return {};
  MapInfo info = maps.info(table);
  if (info.key_size != sizeof(uint32_t) || info.value_size < sizeof(uint64_t)) return {};
  uint32_t id = static_cast<uint32_t>(stack_id);
  std::string value;
  if (!maps.lookup(table, std::string(reinterpret_cast<const char*>(&id), sizeof id), value))
    return {};
  std::vector<uint64_t> frames(value.size() / 8, 0);
  std::memcpy(frames.data(), value.data(), frames.size() * 8);
  frames.erase(std::find(frames.begin(), frames.end(), 0), frames.end());
  return frames;
}

}  // namespace bcc
