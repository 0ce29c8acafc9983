#include "loader/btf_tree.h"

#include <bpf/btf.h>
#include <fcntl.h>
#include <ftw.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "bpf/kernel_headers.h"

namespace bcc::loader {

namespace {

// Bumped whenever the tree's content changes: older trees are remade.
constexpr char kTreeFormat[] = "pmdabcc btf tree 1";
constexpr char kTreeMark[] = "pmdabcc-tree";

std::runtime_error failure(const std::string& what) {
  return std::runtime_error(what + ": " + std::strerror(errno));
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const std::string& path, const std::string& text) {
  std::string folder = path.substr(0, path.rfind('/'));
  for (size_t at = folder.find('/', 1); ; at = folder.find('/', at + 1)) {
    std::string part = at == std::string::npos ? folder : folder.substr(0, at);
    if (mkdir(part.c_str(), 0755) != 0 && errno != EEXIST) throw failure("cannot create " + part);
    if (at == std::string::npos) break;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) throw std::runtime_error("cannot write " + path);
}

std::string hex(const unsigned char* bytes, size_t n) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; i++) {
    out += digits[bytes[i] >> 4];
    out += digits[bytes[i] & 15];
  }
  return out;
}

// ----- vmlinux.h

void print_to_string(void* ctx, const char* fmt, va_list args) {
  auto* out = static_cast<std::string*>(ctx);
  va_list copy;
  va_copy(copy, args);
  int n = vsnprintf(nullptr, 0, fmt, copy);
  va_end(copy);
  if (n <= 0) return;
  size_t at = out->size();
  out->resize(at + static_cast<size_t>(n) + 1);
  vsnprintf(&(*out)[at], static_cast<size_t>(n) + 1, fmt, args);
  out->resize(at + static_cast<size_t>(n));
}

// Every type of the BTF as C, as `bpftool btf dump ... format c` writes it,
// but without preserve_access_index: libbcc does not relocate CO-RE
// accesses, and needs none (the types are the running kernel's).
std::string vmlinux_h(const std::string& btf_path) {
  std::unique_ptr<struct btf, void (*)(struct btf*)> btf(btf__parse_raw(btf_path.c_str()),
                                                        btf__free);
  if (!btf) throw failure("cannot read the kernel's BTF " + btf_path);
  std::string out =
      "/* Every type of the running kernel, from its BTF (" + btf_path +
      "), made by pmdabcc-loader. */\n#ifndef __VMLINUX_H__\n#define __VMLINUX_H__\n\n";
  std::unique_ptr<struct btf_dump, void (*)(struct btf_dump*)> dump(
      btf_dump__new(btf.get(), print_to_string, &out, nullptr), btf_dump__free);
  if (!dump) throw failure("cannot dump the kernel's BTF");
  for (__u32 id = 1; id < btf__type_cnt(btf.get()); id++)
    if (btf_dump__dump_type(dump.get(), id) != 0)
      throw std::runtime_error("cannot write type " + std::to_string(id) + " of the kernel's BTF");
  out += "\n#endif /* __VMLINUX_H__ */\n";
  return out;
}

// ----- include/generated/autoconf.h

std::string gunzip(const std::string& path) {
  gzFile in = gzopen(path.c_str(), "rb");
  if (in == nullptr) return "";
  std::string out;
  char buf[65536];
  int n;
  while ((n = gzread(in, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  gzclose(in);
  return out;
}

std::string release() {
  struct utsname u;
  return uname(&u) == 0 ? u.release : "";
}

// CONFIG_X=y -> #define CONFIG_X 1; =m -> CONFIG_X_MODULE 1; other values as
// they are, as the kernel's own autoconf.h has them.
std::string autoconf_h() {
  std::string from = "/proc/config.gz";
  std::string config = gunzip(from);
  if (config.empty()) {
    from = "/boot/config-" + release();
    config = read_file(from);
  }
  std::string out = "/* The running kernel's configuration";
  if (config.empty())
    out += ": not available (no /proc/config.gz, no /boot/config-" + release() +
           "); only what BCC's helpers require */\n#define CONFIG_BPF_SYSCALL 1\n"
           "#define CONFIG_BPF 1\n#define CONFIG_BPF_EVENTS 1\n";
  else
    out += ", from " + from + " */\n";
  std::istringstream lines(config);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.compare(0, 7, "CONFIG_") != 0) continue;
    size_t eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string name = line.substr(0, eq), value = line.substr(eq + 1);
    if (name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") !=
        std::string::npos)
      continue;
    if (value == "y")
      out += "#define " + name + " 1\n";
    else if (value == "m")
      out += "#define " + name + "_MODULE 1\n";
    else if (value != "n" && value.find('\\') == std::string::npos)
      out += "#define " + name + " " + value + "\n";
  }
  return out;
}

// ----- include/pmdabcc/macros.h

std::string macros_h() {
  unsigned major = 0, minor = 0, patch = 0;
  sscanf(release().c_str(), "%u.%u.%u", &major, &minor, &patch);
  long page = sysconf(_SC_PAGESIZE);
  int page_shift = 12;
  while (page > 0 && (1L << page_shift) < page) page_shift++;
  std::string out = "/* What BTF cannot carry: macros kernel headers define that BPF programs\n"
                    " * and BCC's helpers.h use. Made by pmdabcc-loader. */\n";
  out += "#define LINUX_VERSION_CODE " +
         std::to_string((major << 16) + (minor << 8) + (patch > 255 ? 255 : patch)) + "\n";
  out += "#define KERNEL_VERSION(a, b, c) (((a) << 16) + ((b) << 8) + ((c) > 255 ? 255 : (c)))\n";
  out += "#define PAGE_SHIFT " + std::to_string(page_shift) + "\n";
  out += R"(#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define BITS_PER_LONG (__SIZEOF_LONG__ * 8)
#ifndef NULL
#define NULL ((void *)0)
#endif

/* compiler attributes (linux/compiler*.h) */
#define __always_inline inline __attribute__((always_inline))
#define noinline __attribute__((noinline))
#define __packed __attribute__((packed))
#define __aligned(x) __attribute__((aligned(x)))
#define __user
#define __kernel
#define __percpu
#define __rcu
#define __force
#define __iomem
#define __must_check
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define barrier() __asm__ __volatile__("" : : : "memory")
#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#define offsetof(type, member) __builtin_offsetof(type, member)
#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* linux/log2.h: constant expressions (BPF_STACK_TRACE sizes its map with them) */
#define ilog2(n) ((n) < 2 ? 0 : 63 - __builtin_clzll((unsigned long long)(n)))
#define is_power_of_2(n) ((n) != 0 && (((n) & ((n) - 1)) == 0))
#define roundup_pow_of_two(n) \
  ((n) <= 1 ? 1UL : 1UL << (ilog2((unsigned long long)(n) - 1) + 1))
#define rounddown_pow_of_two(n) (1UL << ilog2(n))

/* uapi/asm-generic/errno-base.h and errno.h (the numbers are ABI) */
#define EPERM 1
#define ENOENT 2
#define ESRCH 3
#define EINTR 4
#define EIO 5
#define ENXIO 6
#define E2BIG 7
#define ENOEXEC 8
#define EBADF 9
#define ECHILD 10
#define EAGAIN 11
#define ENOMEM 12
#define EACCES 13
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define ENODEV 19
#define ENOTDIR 20
#define EISDIR 21
#define EINVAL 22
#define ENFILE 23
#define EMFILE 24
#define ENOSPC 28
#define ESPIPE 29
#define EROFS 30
#define EPIPE 32
#define ERANGE 34
#define ENOSYS 38
#define ENOTEMPTY 39
#define EOPNOTSUPP 95
#define ECONNRESET 104
#define ETIMEDOUT 110
#define ECONNREFUSED 111

/* linux/socket.h (ABI) */
#define AF_UNSPEC 0
#define AF_UNIX 1
#define AF_INET 2
#define AF_INET6 10
#define AF_NETLINK 16
#define AF_PACKET 17
)";
  return out;
}

std::string kconfig_h() {
  return R"(/* libbcc -includes this first: the whole kernel, as its BTF describes it.
 * Made by pmdabcc-loader (kernel_headers = btf). */
#ifndef __PMDABCC_BTF_KCONFIG_H
#define __PMDABCC_BTF_KCONFIG_H
/* BCC's own copy of the BPF uapi (-include bcc/bpf.h, next) would define
 * again what vmlinux.h has: the running kernel's version of it is used. */
#define _UAPI__LINUX_BPF_H__ 1
#include "../../vmlinux.h"
#include "../generated/autoconf.h"
#include "../pmdabcc/macros.h"
#endif
)";
}

// The headers programs commonly include; each is empty, since kconfig.h
// brought everything in already. Others are "file not found".
const char* const kStubs[] = {
    "include/linux/types.h", "include/linux/version.h", "include/linux/log2.h",
    "include/linux/sched.h", "include/linux/sched/signal.h", "include/linux/sched/task.h",
    "include/linux/ptrace.h", "include/linux/bpf.h", "include/linux/bpf_common.h",
    "include/linux/blkdev.h", "include/linux/blk-mq.h", "include/linux/blk_types.h",
    "include/linux/bio.h", "include/linux/genhd.h", "include/linux/fs.h", "include/linux/mm.h",
    "include/linux/mm_types.h", "include/linux/mount.h", "include/linux/dcache.h",
    "include/linux/path.h", "include/linux/namei.h", "include/linux/file.h",
    "include/linux/fdtable.h", "include/linux/pagemap.h", "include/linux/swap.h",
    "include/linux/writeback.h", "include/linux/socket.h", "include/linux/skbuff.h",
    "include/linux/tcp.h", "include/linux/udp.h", "include/linux/ip.h", "include/linux/ipv6.h",
    "include/linux/in.h", "include/linux/in6.h", "include/linux/net.h",
    "include/linux/netdevice.h", "include/linux/if_ether.h", "include/linux/icmp.h",
    "include/linux/nsproxy.h", "include/linux/pid_namespace.h", "include/linux/pid.h",
    "include/linux/cred.h", "include/linux/uidgid.h", "include/linux/cgroup.h",
    "include/linux/kernel.h", "include/linux/kthread.h", "include/linux/err.h",
    "include/linux/errno.h", "include/linux/time.h", "include/linux/ktime.h",
    "include/linux/signal.h", "include/linux/interrupt.h", "include/linux/irq.h",
    "include/linux/utsname.h", "include/linux/binfmts.h", "include/linux/uio.h",
    "include/linux/string.h", "include/linux/stddef.h", "include/linux/compiler.h",
    "include/linux/init.h", "include/linux/module.h", "include/linux/perf_event.h",
    "include/linux/stat.h", "include/linux/wait.h", "include/linux/mutex.h",
    "include/linux/spinlock.h", "include/linux/rwsem.h", "include/linux/workqueue.h",
    "include/linux/cpumask.h", "include/linux/slab.h", "include/linux/percpu.h",
    "include/linux/security.h", "include/linux/aio.h", "include/linux/mmzone.h",
    "include/linux/filter.h", "include/linux/netfilter.h", "include/linux/sockptr.h",
    "include/linux/kvm_host.h", "include/net/sock.h", "include/net/inet_sock.h",
    "include/net/tcp.h", "include/net/tcp_states.h", "include/net/ip.h", "include/net/ipv6.h",
    "include/net/udp.h", "include/net/net_namespace.h", "include/net/inet_connection_sock.h",
    "include/net/inet_timewait_sock.h", "include/net/request_sock.h", "include/net/sch_generic.h",
    "include/net/flow.h", "include/uapi/linux/bpf.h", "include/uapi/linux/bpf_perf_event.h",
    "include/uapi/linux/ptrace.h", "include/uapi/linux/if_packet.h", "include/uapi/linux/types.h",
    "include/uapi/linux/in.h", "include/uapi/linux/in6.h", "include/uapi/linux/tcp.h",
    "include/uapi/linux/ip.h", "include/uapi/linux/ipv6.h", "include/uapi/linux/if_ether.h",
    "include/uapi/linux/udp.h", "include/uapi/linux/perf_event.h", "include/uapi/linux/limits.h",
    "include/uapi/linux/sched.h", "include/uapi/linux/stat.h", "include/uapi/linux/fs.h",
    "include/uapi/linux/errno.h", "arch/x86/include/asm/page.h", "arch/x86/include/asm/ptrace.h",
    "arch/x86/include/asm/current.h", "arch/x86/include/asm/processor.h",
    "arch/x86/include/uapi/asm/ptrace.h", "arch/arm64/include/asm/page.h",
    "arch/arm64/include/asm/ptrace.h", "arch/arm64/include/uapi/asm/ptrace.h",
};

// ----- the cache

struct stat must_be_root_folder(const std::string& path) {
  struct stat st {};
  if (lstat(path.c_str(), &st) != 0) throw failure("cannot use " + path);
  if (!S_ISDIR(st.st_mode)) throw std::runtime_error(path + " is not a folder");
  if (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
    throw std::runtime_error("refusing " + path +
                             ": it must be owned by root and writable by no one else "
                             "(chown root " + path + "; chmod go-w " + path + ")");
  return st;
}

void make_folders(const std::string& path) {
  for (size_t at = path.find('/', 1); ; at = path.find('/', at + 1)) {
    std::string part = at == std::string::npos ? path : path.substr(0, at);
    if (mkdir(part.c_str(), 0755) != 0 && errno != EEXIST) throw failure("cannot create " + part);
    if (at == std::string::npos) break;
  }
}

int remove_entry(const char* path, const struct stat*, int, struct FTW*) { return remove(path); }

void remove_tree(const std::string& path) {
  nftw(path.c_str(), remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

bool tree_complete(const std::string& dir) {
  struct stat st {};
  if (lstat(dir.c_str(), &st) != 0) return false;
  must_be_root_folder(dir);
  std::string mark = read_file(dir + "/" + kTreeMark);
  return mark == std::string(kTreeFormat) + "\n";
}

}  // namespace

std::string kernel_build_id() {
  std::string notes = read_file("/sys/kernel/notes");
  size_t at = 0;
  while (at + 12 <= notes.size()) {
    uint32_t namesz, descsz, type;
    memcpy(&namesz, &notes[at], 4);
    memcpy(&descsz, &notes[at + 4], 4);
    memcpy(&type, &notes[at + 8], 4);
    size_t name = at + 12, desc = name + ((namesz + 3) & ~3u);
    size_t next = desc + ((descsz + 3) & ~3u);
    if (next > notes.size()) break;
    if (type == 3 && namesz == 4 && notes.compare(name, 4, std::string("GNU\0", 4)) == 0 &&
        descsz > 0)
      return hex(reinterpret_cast<const unsigned char*>(&notes[desc]), descsz);
    at = next;
  }
  // no build id: the BTF's own content names the kernel (FNV-1a)
  std::string btf = read_file(kKernelBtf);
  if (btf.empty()) throw std::runtime_error(std::string("cannot read ") + kKernelBtf);
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : btf) h = (h ^ c) * 1099511628211ull;
  unsigned char bytes[8];
  for (int i = 0; i < 8; i++) bytes[i] = static_cast<unsigned char>(h >> (56 - 8 * i));
  return "btf-" + hex(bytes, 8);
}

void write_btf_tree(const std::string& dir, const std::string& btf_path) {
  write_file(dir + "/vmlinux.h", vmlinux_h(btf_path));
  write_file(dir + "/include/generated/autoconf.h", autoconf_h());
  write_file(dir + "/include/pmdabcc/macros.h", macros_h());
  write_file(dir + "/include/linux/kconfig.h", kconfig_h());
  for (const char* stub : kStubs)
    write_file(dir + "/" + stub,
               "/* Empty: the types are in vmlinux.h, from the running kernel's BTF, which\n"
               " * include/linux/kconfig.h brought in first. Made by pmdabcc-loader. */\n");
}

std::string btf_tree(const std::string& cache_root) {
  std::string dir = cache_root + "/kernel-" + kernel_build_id();
  struct stat st {};
  if (lstat(cache_root.c_str(), &st) != 0) {
    make_folders(cache_root);
    chmod(cache_root.c_str(), 0755);
  }
  must_be_root_folder(cache_root);
  if (tree_complete(dir)) return dir;

  // one loader makes it; the others wait, then find it made
  std::string lock_path = cache_root + "/.lock";
  int lock = open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (lock < 0) throw failure("cannot open " + lock_path);
  std::unique_ptr<int, void (*)(int*)> unlock(&lock, [](int* fd) { close(*fd); });
  while (flock(lock, LOCK_EX) != 0)
    if (errno != EINTR) throw failure("cannot lock " + lock_path);
  if (tree_complete(dir)) return dir;

  std::string temp = cache_root + "/.kernel-XXXXXX";
  std::vector<char> name(temp.begin(), temp.end());
  name.push_back('\0');
  if (mkdtemp(name.data()) == nullptr) throw failure("cannot create a folder in " + cache_root);
  temp = name.data();
  try {
    chmod(temp.c_str(), 0755);
    write_btf_tree(temp, kKernelBtf);
    write_file(temp + "/" + kTreeMark, std::string(kTreeFormat) + "\n");
    if (lstat(dir.c_str(), &st) == 0) remove_tree(dir);  // an older format, or unfinished
    if (rename(temp.c_str(), dir.c_str()) != 0) throw failure("cannot rename " + temp);
  } catch (...) {
    remove_tree(temp);
    throw;
  }
  return dir;
}

std::string btf_compile_note(const std::string& output) {
  if (output.find("file not found") != std::string::npos)
    return "compiled against the running kernel's BTF (no kernel headers are used): it has the "
           "kernel's types, and stubs for common headers only; this program includes a header "
           "BTF cannot give (set [pmda] kernel_headers = installed, with the running kernel's "
           "headers installed)";
  if (output.find("undeclared identifier") != std::string::npos ||
      output.find("unknown type name") != std::string::npos ||
      output.find("implicit declaration of function") != std::string::npos)
    return "compiled against the running kernel's BTF (no kernel headers are used): BTF has the "
           "kernel's types but not the macros or inline functions its headers define; define "
           "what the program needs in the program itself, or set [pmda] kernel_headers = "
           "installed with the running kernel's headers installed";
  return "";
}

}  // namespace bcc::loader
