// Finding the binaries user-space probes attach to: library names, paths as
// another process sees them (its own mount namespace), and the symbols and
// USDT probes a binary carries.
#pragma once

#include <string>
#include <vector>

namespace bcc {

// A path as process `pid` sees it, opened from here through its root:
// "/proc/PID/root/usr/lib/x.so". Unchanged when pid < 0.
std::string path_in_process(const std::string& path, int pid);

// A library name ("c", "pthread") or a path, as process `pid` sees it
// (pid < 0: this system), as a path this agent can open; "" when there is
// no such library. Names are looked up in the process's own mappings, then
// in the dynamic linker's cache, as libbcc does.
std::string resolve_binary(const std::string& name_or_path, int pid = -1);

// Whether `binary` defines `symbol` (its symbol table or debug file).
bool binary_has_symbol(const std::string& binary, const std::string& symbol);

struct UsdtProbeName {
  std::string provider;
  std::string name;
};
// The USDT probes of an ELF file (its .note.stapsdt notes), in file order.
std::vector<UsdtProbeName> usdt_probes_in(const std::string& binary);

// The path of the first file mapped into process `pid` whose name contains
// `fragment` ("libjvm.so"), as the process sees it; "" when none.
std::string mapped_file(int pid, const std::string& fragment);

// Where process `pid` carries USDT probe `name`: the first binary (its
// executable, then the files it has mapped) whose notes define it, as a path
// this agent can open (see path_in_process), and the probe's provider.
// Empty when none does.
struct UsdtInProcess {
  std::string binary;
  std::string provider;
};
UsdtInProcess find_usdt_probe(int pid, const std::string& name);

}  // namespace bcc
