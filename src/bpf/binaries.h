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

// Opens `path` read-only (O_CLOEXEC); a path under "/proc/PID/root/" is
// opened confined to that process's root (openat2 RESOLVE_IN_ROOT): its
// absolute symbolic links and ".." resolve inside the process's root, not
// the agent's (a container's "/usr/lib/x.so -> /etc/shadow" reaches the
// container's file, not the host's). -1 and errno set on failure.
int open_binary(const std::string& path);

// A file name from /proc (maps, exe) without the " (deleted)" mark of a
// file that was replaced or removed since the process opened it.
std::string without_deleted_mark(std::string name);

// The file at `path` (as process `pid` sees it) that the process has mapped,
// as its own mapping names it: "/proc/PID/map_files/START-END", a link to
// the very file the process runs, even once a package upgrade has replaced
// (or removed) the path, and whatever symbolic links the path goes through
// in the process's root. path_in_process(path, pid) when the process does
// not map it (or pid < 0).
std::string binary_of_process(const std::string& path, int pid);

// A library name ("c", "pthread") or a path, as process `pid` sees it
// (pid < 0: this system), as a path this agent can open (for a process, its
// mapping of the file, see binary_of_process); "" when there is no such
// library. Names are looked up in the process's own mappings, then in the
// dynamic linker's cache, as libbcc does.
std::string resolve_binary(const std::string& name_or_path, int pid = -1);

// The path the dynamic linker's cache (/etc/ld.so.cache, read once) gives
// the first "lib<name>.so*" of this machine's ABI ("c": libc.so.6); "" when
// none.
std::string library_in_ld_cache(const std::string& name);

// Whether `binary` defines function `symbol` (STT_FUNC or STT_GNU_IFUNC in
// its symbol tables, or those of its separate debug file).
bool binary_has_symbol(const std::string& binary, const std::string& symbol);

struct UsdtProbeName {
  std::string provider;
  std::string name;
};
// The USDT probes of an ELF file (its .note.stapsdt notes), in file order.
std::vector<UsdtProbeName> usdt_probes_in(const std::string& binary);

// The path of the first file mapped into process `pid` whose name contains
// `fragment` ("libjvm.so"), as the process sees it (without a " (deleted)"
// mark); "" when none.
std::string mapped_file(int pid, const std::string& fragment);

// Where process `pid` carries USDT probe `name`: the first binary (its
// executable, then the files it has mapped) whose notes define it, as a path
// this agent can open (see binary_of_process), and the probe's provider.
// Empty when none does.
struct UsdtInProcess {
  std::string binary;
  std::string provider;
};
UsdtInProcess find_usdt_probe(int pid, const std::string& name);
// The same for several probes, in the order of `names`: each binary's notes
// are read once for all of them (a JVM's libjvm.so carries hundreds).
std::vector<UsdtInProcess> find_usdt_probes(int pid, const std::vector<std::string>& names);
// The one way modules locate USDT probes, in the order of `names`: in
// `path` when given (a file or a library name, resolved for the process as
// resolve_binary does), else in the first binary of the process whose notes
// define each (find_usdt_probes); every binary's notes are read once. The
// binary is "" when nothing is found; the provider "" when the binary's
// notes lack the probe.
std::vector<UsdtInProcess> locate_usdt_probes(int pid, const std::string& path,
                                              const std::vector<std::string>& names);

}  // namespace bcc
