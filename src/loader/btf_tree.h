// A kernel "build tree" made from the running kernel's BTF, for libbcc to
// compile against when no headers of the running kernel are installed
// (`[pmda] kernel_headers = btf`, or `auto` without matching headers).
//
// libbcc runs clang inside the tree it is given (BCC_KERNEL_SOURCE) with
// -Iarch/<arch>/include -Iinclude -I...uapi and `-include
// ./include/linux/kconfig.h` first. The tree holds:
//   vmlinux.h                     every type of the kernel, from its BTF
//   include/generated/autoconf.h  CONFIG_* from /proc/config.gz or
//                                 /boot/config-$(uname -r) (if either exists)
//   include/pmdabcc/macros.h      what BTF cannot carry and programs or BCC's
//                                 helpers.h use: LINUX_VERSION_CODE, PAGE_SIZE,
//                                 roundup_pow_of_two, __always_inline, errno
//                                 and address-family numbers...
//   include/linux/kconfig.h       includes the three above, and marks BCC's own
//                                 copy of the BPF uapi as included (the
//                                 kernel's types are in vmlinux.h)
//   stubs for the headers programs commonly include (<linux/sched.h>,
//   <net/sock.h>, <uapi/linux/ptrace.h>...): empty, everything is there already.
// A header not in the tree, or a macro only a header defines, is a compile
// error, which the loader explains (btf_compile_note).
#pragma once

#include <string>

namespace bcc::loader {

// The running kernel's GNU build id (/sys/kernel/notes), hex; when the
// kernel has none, "btf-" and a hash of its BTF.
std::string kernel_build_id();

// Writes the tree for the BTF at `btf_path` into `dir` (which must exist).
// Throws std::runtime_error.
void write_btf_tree(const std::string& dir, const std::string& btf_path);

// The tree for the running kernel: `cache_root`/kernel-<build id>, made the
// first time (atomically; concurrent loaders wait for one another). The
// cache must be a folder owned by root and writable by no one else (it is
// created so if missing). Throws std::runtime_error saying what is wrong.
std::string btf_tree(const std::string& cache_root);

// A note to append to a compile error of a program compiled against a BTF
// tree: what BTF cannot give; "" when the error is not of that kind.
std::string btf_compile_note(const std::string& compiler_output);

}  // namespace bcc::loader
