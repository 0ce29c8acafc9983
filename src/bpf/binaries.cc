#include "bpf/binaries.h"

#include <elf.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>

namespace bcc {

std::string path_in_process(const std::string& path, int pid) {
  if (pid < 0) return path;
  return "/proc/" + std::to_string(pid) + "/root" + (path.empty() || path[0] != '/' ? "/" : "") +
         path;
}

int open_binary(const std::string& path) {
  // "/proc/" digits "/root/" rest
  const std::string proc = "/proc/", root = "/root/";
  size_t digits = proc.size();
  while (digits < path.size() && std::isdigit(static_cast<unsigned char>(path[digits]))) digits++;
  if (path.rfind(proc, 0) != 0 || digits == proc.size() ||
      path.compare(digits, root.size(), root) != 0)
    return open(path.c_str(), O_RDONLY | O_CLOEXEC);
  int dir = open(path.substr(0, digits + root.size() - 1).c_str(),
                 O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return -1;
  open_how how{};
  how.flags = O_RDONLY | O_CLOEXEC;
  how.resolve = RESOLVE_IN_ROOT;
  std::string inside = path.substr(digits + root.size());
  int fd = static_cast<int>(syscall(SYS_openat2, dir, inside.c_str(), &how, sizeof how));
  if (fd < 0 && errno == ENOSYS)  // before Linux 5.6: unconfined, as the kernel resolves it
    fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  int saved = errno;
  close(dir);
  errno = saved;
  return fd;
}

std::string without_deleted_mark(std::string name) {
  const std::string deleted = " (deleted)";
  if (name.size() > deleted.size() &&
      name.compare(name.size() - deleted.size(), deleted.size(), deleted) == 0)
    name.resize(name.size() - deleted.size());
  return name;
}

namespace {

// One file a process has mapped: the mapping's address range
// ("7f0e2c000000-7f0e2c021000") and the file's name as /proc/PID/maps gives
// it (a name with a newline is escaped there, "\012"), without the
// " (deleted)" mark of a file replaced since.
struct FileMapping {
  std::string range, name;
};

// The process's file mappings, in order (a file once per mapping).
std::vector<FileMapping> file_mappings(int pid) {
  std::vector<FileMapping> out;
  std::ifstream maps("/proc/" + std::to_string(pid) + "/maps");
  for (std::string line; std::getline(maps, line);) {
    size_t slash = line.find('/');
    if (slash != std::string::npos)
      out.push_back({line.substr(0, line.find(' ')), without_deleted_mark(line.substr(slash))});
  }
  return out;
}

// binary_of_process, from mappings read already.
std::string binary_in(const std::vector<FileMapping>& mappings, const std::string& path, int pid) {
  for (const FileMapping& m : mappings) {
    if (m.name != path) continue;
    std::string link = "/proc/" + std::to_string(pid) + "/map_files/" + m.range;
    if (access(link.c_str(), R_OK) == 0) return link;
  }
  return path_in_process(path, pid);
}

}  // namespace

std::string binary_of_process(const std::string& path, int pid) {
  return pid < 0 ? path : binary_in(file_mappings(pid), path, pid);
}

std::string resolve_binary(const std::string& name_or_path, int pid) {
  if (name_or_path.empty()) return "";
  if (name_or_path.find('/') != std::string::npos) {
    std::string path = binary_of_process(name_or_path, pid);
    return access(path.c_str(), R_OK) == 0 ? path : "";
  }
  std::string found;
  if (pid >= 0) {
    // the process's own copy, named as it sees it
    found = mapped_file(pid, "/lib" + name_or_path + ".so");
    if (found.empty()) found = mapped_file(pid, "/" + name_or_path);
    if (!found.empty()) return binary_of_process(found, pid);
  }
  return library_in_ld_cache(name_or_path);
}

namespace {

// ---- ELF files through libelf ----------------------------------------------

// An ELF file open for reading; !ok() when the file cannot be opened or is
// not ELF.
class ElfFile {
 public:
  explicit ElfFile(const std::string& path) {
    static const bool initialised = elf_version(EV_CURRENT) != EV_NONE;
    if (!initialised) return;
    fd_ = open_binary(path);
    if (fd_ < 0) return;
    elf_ = elf_begin(fd_, ELF_C_READ_MMAP, nullptr);
    if (elf_ && elf_kind(elf_) != ELF_K_ELF) {
      elf_end(elf_);
      elf_ = nullptr;
    }
  }
  ~ElfFile() {
    if (elf_) elf_end(elf_);
    if (fd_ >= 0) close(fd_);
  }
  ElfFile(const ElfFile&) = delete;
  ElfFile& operator=(const ElfFile&) = delete;
  bool ok() const { return elf_ != nullptr; }
  Elf* elf() const { return elf_; }

  // The sections of a type, with their names.
  template <typename F>
  void each_section(F&& f) const {
    size_t names = 0;
    if (elf_getshdrstrndx(elf_, &names) != 0) return;
    for (Elf_Scn* scn = elf_nextscn(elf_, nullptr); scn; scn = elf_nextscn(elf_, scn)) {
      GElf_Shdr header;
      if (!gelf_getshdr(scn, &header)) continue;
      const char* name = elf_strptr(elf_, names, header.sh_name);
      if (!f(scn, header, name ? name : "")) return;
    }
  }

 private:
  int fd_ = -1;
  Elf* elf_ = nullptr;
};

// Whether a symbol table of the file defines function `symbol`.
bool defines_function(const ElfFile& file, const std::string& symbol) {
  bool found = false;
  file.each_section([&](Elf_Scn* scn, const GElf_Shdr& header, const char*) {
    if (header.sh_type != SHT_SYMTAB && header.sh_type != SHT_DYNSYM) return true;
    if (header.sh_entsize == 0) return true;
    Elf_Data* data = elf_getdata(scn, nullptr);
    if (!data) return true;
    size_t count = header.sh_size / header.sh_entsize;
    for (size_t i = 0; i < count && !found; i++) {
      GElf_Sym sym;
      if (!gelf_getsym(data, static_cast<int>(i), &sym)) break;
      int type = GELF_ST_TYPE(sym.st_info);
      if ((type != STT_FUNC && type != STT_GNU_IFUNC) || sym.st_shndx == SHN_UNDEF) continue;
      const char* name = elf_strptr(file.elf(), header.sh_link, sym.st_name);
      if (name && symbol == name) found = true;
    }
    return !found;
  });
  return found;
}

// The separate debug files that may hold a stripped binary's symbol table:
// by build ID (/usr/lib/debug/.build-id/ab/cdef.debug), then by debug link
// (next to the binary, in its .debug/, under /usr/lib/debug).
std::vector<std::string> debug_files(const ElfFile& file, const std::string& binary) {
  std::vector<std::string> out;
  std::string link;
  file.each_section([&](Elf_Scn* scn, const GElf_Shdr& header, const char* name) {
    Elf_Data* data = elf_getdata(scn, nullptr);
    if (!data || !data->d_buf) return true;
    const char* bytes = static_cast<const char*>(data->d_buf);
    if (header.sh_type == SHT_NOTE) {
      size_t offset = 0, name_at = 0, desc_at = 0;
      GElf_Nhdr note;
      while ((offset = gelf_getnote(data, offset, &note, &name_at, &desc_at)) > 0) {
        if (note.n_type != NT_GNU_BUILD_ID || note.n_namesz != 4 ||
            std::memcmp(bytes + name_at, "GNU", 4) != 0 || note.n_descsz < 2)
          continue;
        static const char hex[] = "0123456789abcdef";
        std::string id;
        for (size_t i = 0; i < note.n_descsz; i++) {
          unsigned char c = static_cast<unsigned char>(bytes[desc_at + i]);
          id += hex[c >> 4];
          id += hex[c & 15];
        }
        out.push_back("/usr/lib/debug/.build-id/" + id.substr(0, 2) + "/" + id.substr(2) +
                      ".debug");
      }
    } else if (std::strcmp(name, ".gnu_debuglink") == 0) {
      link.assign(bytes, strnlen(bytes, data->d_size));
    }
    return true;
  });
  if (!link.empty() && link.find('/') == std::string::npos) {
    std::string dir = binary.substr(0, binary.rfind('/') + 1);
    for (const std::string& candidate :
         {dir + link, dir + ".debug/" + link, "/usr/lib/debug" + dir + link})
      if (candidate != binary) out.push_back(candidate);
  }
  return out;
}

// ---- the dynamic linker's cache --------------------------------------------

struct LdCacheEntry {
  std::string name;  // "libc.so.6"
  std::string path;
};

// The entries of /etc/ld.so.cache for this ABI (64-bit libc6 on 64-bit
// machines), in cache order: glibc's format "glibc-ld.so.cache1.1", alone or
// after the old "ld.so-1.7.0" table, as libbcc reads it.
std::vector<LdCacheEntry> read_ld_cache(const std::string& bytes) {
  static const char old_magic[] = "ld.so-1.7.0";
  static const char new_magic[] = "glibc-ld.so.cache1.1";
  const size_t old_header = sizeof(old_magic) - 1 + 4, old_entry = 12;
  const size_t new_header = sizeof(new_magic) - 1 + 4 + 4 + 20, new_entry = 24;
  size_t start = 0;
  if (bytes.compare(0, sizeof(old_magic) - 1, old_magic) == 0) {
    if (bytes.size() < old_header) return {};
    uint32_t count;
    std::memcpy(&count, bytes.data() + sizeof(old_magic) - 1, 4);
    start = (old_header + static_cast<size_t>(count) * old_entry + 7) & ~size_t{7};
  }
  if (start >= bytes.size() || bytes.compare(start, sizeof(new_magic) - 1, new_magic) != 0)
    return {};  // an old-format-only cache: no glibc since 2.32 writes one
  if (bytes.size() - start < new_header) return {};
  uint32_t count;
  std::memcpy(&count, bytes.data() + start + sizeof(new_magic) - 1, 4);
  if (count > (bytes.size() - start - new_header) / new_entry) return {};
  // flags: type in the low byte (3: ELF libc6), ABI in the next (64-bit
  // ABIs: SPARC, IA64, x86-64, s390, POWER, AArch64 (0x0a))
  auto this_abi = [](int32_t flags) {
    if ((flags & 0xff) != 3) return false;
    switch (flags & 0xff00) {
      case 0x0100: case 0x0200: case 0x0300: case 0x0400: case 0x0500: case 0x0a00:
        return sizeof(void*) == 8;
    }
    return sizeof(void*) == 4;
  };
  // strings are offsets from the start of the new-format table
  auto text = [&](uint32_t offset) {
    size_t at = start + offset;
    if (at >= bytes.size()) return std::string();
    return std::string(bytes.data() + at, strnlen(bytes.data() + at, bytes.size() - at));
  };
  std::vector<LdCacheEntry> out;
  for (uint32_t i = 0; i < count; i++) {
    const char* entry = bytes.data() + start + new_header + static_cast<size_t>(i) * new_entry;
    int32_t flags;
    uint32_t key, value;
    std::memcpy(&flags, entry, 4);
    std::memcpy(&key, entry + 4, 4);
    std::memcpy(&value, entry + 8, 4);
    if (this_abi(flags)) out.push_back({text(key), text(value)});
  }
  return out;
}

const std::vector<LdCacheEntry>& ld_cache() {
  static const std::vector<LdCacheEntry> entries = [] {
    std::ifstream in("/etc/ld.so.cache", std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return read_ld_cache(bytes);
  }();
  return entries;
}

}  // namespace

std::string library_in_ld_cache(const std::string& name) {
  // the first "lib<name>.so..." of this ABI, as libbcc's bcc_procutils_which_so
  std::string prefix = "lib" + name + ".so";
  for (const LdCacheEntry& e : ld_cache())
    if (e.name.compare(0, prefix.size(), prefix) == 0) return e.path;
  return "";
}

bool binary_has_symbol(const std::string& binary, const std::string& symbol) {
  ElfFile file(binary);
  if (!file.ok()) return false;
  if (defines_function(file, symbol)) return true;
  for (const std::string& debug : debug_files(file, binary)) {
    ElfFile separate(debug);
    if (separate.ok() && defines_function(separate, symbol)) return true;
  }
  return false;
}

std::vector<UsdtProbeName> usdt_probes_in(const std::string& binary) {
  std::vector<UsdtProbeName> out;
  ElfFile file(binary);
  if (!file.ok()) return out;
  const size_t address_size = gelf_getclass(file.elf()) == ELFCLASS32 ? 4 : 8;
  file.each_section([&](Elf_Scn* scn, const GElf_Shdr& header, const char* name) {
    if (header.sh_type != SHT_NOTE || std::strcmp(name, ".note.stapsdt") != 0) return true;
    Elf_Data* data = elf_getdata(scn, nullptr);
    if (!data || !data->d_buf) return true;
    const char* bytes = static_cast<const char*>(data->d_buf);
    size_t offset = 0, name_at = 0, desc_at = 0;
    GElf_Nhdr note;
    while ((offset = gelf_getnote(data, offset, &note, &name_at, &desc_at)) > 0) {
      // owner "stapsdt", type 3: pc, base, semaphore, then
      // "provider\0name\0arguments\0"
      if (note.n_type != 3 || note.n_namesz != 8 || std::memcmp(bytes + name_at, "stapsdt", 8) != 0)
        continue;
      if (note.n_descsz < 3 * address_size) continue;
      const char* text = bytes + desc_at + 3 * address_size;
      size_t left = note.n_descsz - 3 * address_size;
      size_t provider_length = strnlen(text, left);
      if (provider_length >= left) continue;
      const char* probe = text + provider_length + 1;
      size_t probe_length = strnlen(probe, left - provider_length - 1);
      if (probe_length >= left - provider_length - 1) continue;
      out.push_back({std::string(text, provider_length), std::string(probe, probe_length)});
    }
    return true;
  });
  return out;
}

std::string mapped_file(int pid, const std::string& fragment) {
  for (const FileMapping& m : file_mappings(pid))
    if (m.name.find(fragment) != std::string::npos) return m.name;
  return "";
}

UsdtInProcess find_usdt_probe(int pid, const std::string& name) {
  return find_usdt_probes(pid, {name}).front();
}

std::vector<UsdtInProcess> locate_usdt_probes(int pid, const std::string& path,
                                              const std::vector<std::string>& names) {
  if (path.empty()) return find_usdt_probes(pid, names);
  std::string binary = resolve_binary(path, pid);
  std::vector<UsdtInProcess> found(names.size(), UsdtInProcess{binary, ""});
  if (binary.empty()) return found;
  for (const UsdtProbeName& p : usdt_probes_in(binary))
    for (size_t i = 0; i < names.size(); i++)
      if (found[i].provider.empty() && p.name == names[i]) found[i].provider = p.provider;
  return found;
}

std::vector<UsdtInProcess> find_usdt_probes(int pid, const std::vector<std::string>& names) {
  std::vector<UsdtInProcess> found(names.size());
  std::vector<std::string> candidates;
  char exe[4096];
  ssize_t n = readlink(("/proc/" + std::to_string(pid) + "/exe").c_str(), exe, sizeof(exe) - 1);
  if (n > 0) candidates.push_back(without_deleted_mark(std::string(exe, static_cast<size_t>(n))));
  std::vector<FileMapping> mappings = file_mappings(pid);  // read once for every candidate
  for (const FileMapping& m : mappings)
    if (std::find(candidates.begin(), candidates.end(), m.name) == candidates.end())
      candidates.push_back(m.name);
  size_t missing = names.size();
  for (const std::string& candidate : candidates) {
    if (missing == 0) break;
    std::string binary = binary_in(mappings, candidate, pid);
    for (const UsdtProbeName& probe : usdt_probes_in(binary))
      for (size_t i = 0; i < names.size(); i++)
        if (found[i].binary.empty() && probe.name == names[i]) {
          found[i] = {binary, probe.provider};
          missing--;
        }
  }
  return found;
}

}  // namespace bcc
