#include "bpf/binaries.h"

#include <bcc/bcc_proc.h>
#include <bcc/bcc_syms.h>
#include <bcc/bcc_usdt.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace bcc {

std::string path_in_process(const std::string& path, int pid) {
  if (pid < 0) return path;
  return "/proc/" + std::to_string(pid) + "/root" + (path.empty() || path[0] != '/' ? "/" : "") +
         path;
}

std::string resolve_binary(const std::string& name_or_path, int pid) {
  if (name_or_path.empty()) return "";
  if (name_or_path.find('/') != std::string::npos) {
    std::string path = path_in_process(name_or_path, pid);
    return access(path.c_str(), R_OK) == 0 ? path : "";
  }
  std::string found;
  if (pid >= 0) {
    // the process's own copy, named as it sees it
    found = mapped_file(pid, "/lib" + name_or_path + ".so");
    if (found.empty()) found = mapped_file(pid, "/" + name_or_path);
    if (!found.empty()) return path_in_process(found, pid);
  }
  char* path = bcc_procutils_which_so(name_or_path.c_str(), 0);
  if (!path) return "";
  found = path;
  bcc_procutils_free(path);
  return found;
}

bool binary_has_symbol(const std::string& binary, const std::string& symbol) {
  bcc_symbol sym{};
  bcc_symbol_option options{};
  options.use_debug_file = 1;
  options.check_debug_file_crc = 1;
  options.use_symbol_type = (1 << 2 /* STT_FUNC */) | (1 << 10 /* STT_GNU_IFUNC */);
  if (bcc_resolve_symname(binary.c_str(), symbol.c_str(), 0, -1, &options, &sym) != 0)
    return false;
  if (sym.module) ::free(const_cast<char*>(sym.module));
  return true;
}

namespace {
// bcc_usdt_foreach's callback carries no cookie: the list being filled is
// held here for the duration of one (serialised) call.
thread_local std::vector<UsdtProbeName>* usdt_sink = nullptr;
void collect_usdt(bcc_usdt* probe) {
  if (usdt_sink) usdt_sink->push_back({probe->provider, probe->name});
}
}  // namespace

std::vector<UsdtProbeName> usdt_probes_in(const std::string& binary) {
  std::vector<UsdtProbeName> out;
  if (access(binary.c_str(), R_OK) != 0) return out;
  void* context = bcc_usdt_new_frompath(binary.c_str());
  if (!context) return out;
  usdt_sink = &out;
  bcc_usdt_foreach(context, collect_usdt);
  usdt_sink = nullptr;
  bcc_usdt_close(context);
  return out;
}

namespace {

// The files a process has mapped, as /proc/PID/maps names them, in order
// (repeated once per mapping).
std::vector<std::string> mapped_files(int pid) {
  std::vector<std::string> out;
  std::ifstream maps("/proc/" + std::to_string(pid) + "/maps");
  std::string line;
  while (std::getline(maps, line)) {
    size_t slash = line.find('/');
    if (slash != std::string::npos) out.push_back(line.substr(slash));
  }
  return out;
}

}  // namespace

std::string mapped_file(int pid, const std::string& fragment) {
  for (const std::string& path : mapped_files(pid))
    if (path.find(fragment) != std::string::npos) return path;
  return "";
}

UsdtInProcess find_usdt_probe(int pid, const std::string& name) {
  std::vector<std::string> candidates;
  char exe[4096];
  ssize_t n = readlink(("/proc/" + std::to_string(pid) + "/exe").c_str(), exe, sizeof(exe) - 1);
  if (n > 0) candidates.emplace_back(exe, static_cast<size_t>(n));
  for (const std::string& path : mapped_files(pid))
    if (std::find(candidates.begin(), candidates.end(), path) == candidates.end())
      candidates.push_back(path);
  for (const std::string& candidate : candidates) {
    std::string binary = path_in_process(candidate, pid);
    for (const UsdtProbeName& probe : usdt_probes_in(binary))
      if (probe.name == name) return {binary, probe.provider};
  }
  return {};
}

}  // namespace bcc
