// The kernel tree the loader makes from BTF (loader/btf_tree.h): the struct
// offsets its vmlinux.h gives are the ones the agent reads from BTF, it
// holds what BCC's helpers.h needs, and the cache is made once and refused
// when others could write it.
#include "loader/btf_tree.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "bpf/kernel_headers.h"
#include "bpf/struct_offsets.h"

namespace bcc::loader {
namespace {

bool exists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

std::string temp_dir() {
  char name[] = "/tmp/btf_tree_test.XXXXXX";
  return mkdtemp(name) ? name : "";
}

void remove_all(const std::string& dir) {
  if (!dir.empty()) std::system(("rm -rf '" + dir + "'").c_str());
}

// Made once for the whole suite: ~3 MB of vmlinux.h.
class BtfTree : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!exists(kKernelBtf)) return;
    dir_ = temp_dir();
    auto start = std::chrono::steady_clock::now();
    write_btf_tree(dir_, kKernelBtf);
    seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  static void TearDownTestSuite() { remove_all(dir_); }
  void SetUp() override {
    if (!exists(kKernelBtf)) GTEST_SKIP() << "this kernel has no BTF (" << kKernelBtf << ")";
  }
  static std::string dir_;
  static double seconds_;
};
std::string BtfTree::dir_;
double BtfTree::seconds_ = 0;

TEST_F(BtfTree, HoldsWhatLibbccLooksFor) {
  // libbcc takes a tree without include/linux/kconfig.h for no tree at all
  for (const char* f : {"vmlinux.h", "include/linux/kconfig.h", "include/generated/autoconf.h",
                        "include/pmdabcc/macros.h", "include/uapi/linux/ptrace.h",
                        "include/linux/sched.h", "include/uapi/linux/bpf_perf_event.h",
                        "arch/x86/include/asm/page.h", "include/linux/version.h"})
    EXPECT_TRUE(exists(dir_ + "/" + f)) << f;
  std::printf("tree made in %.2fs\n", seconds_);
  EXPECT_LT(seconds_, 30);
}

// The offsets the BTF-derived headers give, as clang computes them from
// vmlinux.h, equal those the agent reads with btf_field_offset.
TEST_F(BtfTree, StructOffsetsMatchTheKernelsBtf) {
  if (std::system("command -v clang >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "no clang to compile against the tree";
  struct Field {
    const char* type;
    const char* path;
  } fields[] = {{"tcp_sock", "bytes_acked"},
                {"task_struct", "pid"},
                {"sock", "__sk_common.skc_state"}};
  std::string program = "#include <linux/sched.h>\n#include <net/sock.h>\n";
  for (const Field& f : fields) {
    auto offset = btf_field_offset(f.type, f.path);
    ASSERT_TRUE(offset) << f.type << "." << f.path << " is not in the kernel's BTF";
    program += "_Static_assert(offsetof(struct " + std::string(f.type) + ", " + f.path +
               ") == " + std::to_string(*offset) + ", \"" + f.type + "." + f.path + "\");\n";
  }
  // what BCC's helpers.h takes from kernel headers
  program +=
      "_Static_assert(roundup_pow_of_two(1000) == 1024, \"log2.h\");\n"
      "_Static_assert(LINUX_VERSION_CODE >= KERNEL_VERSION(4, 0, 0), \"version.h\");\n"
      "_Static_assert(PAGE_SIZE >= 4096, \"page.h\");\n"
      "#ifndef CONFIG_BPF_SYSCALL\n#error no CONFIG_BPF_SYSCALL\n#endif\n"
      "int f(struct pt_regs *ctx, struct bpf_perf_event_data *d) { return BPF_FUNC_probe_read_kernel; }\n";
  std::string source = dir_ + "/offsets_test.c";
  std::ofstream(source) << program;
  // as libbcc does: from the tree, kconfig.h first
  std::string command = "cd '" + dir_ + "' && clang -target bpf -fsyntax-only -nostdinc "
                        "-Iarch/x86/include -Iinclude -Iinclude/uapi -include "
                        "./include/linux/kconfig.h -D__KERNEL__ offsets_test.c 2>&1";
  FILE* out = popen(command.c_str(), "r");
  ASSERT_NE(out, nullptr);
  std::string said;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, out)) said.append(buf, n);
  EXPECT_EQ(pclose(out), 0) << said << "\n" << program;
}

TEST(BtfTreeCache, IsMadeOnceAndRefusedWhenOthersMayWrite) {
  if (!exists(kKernelBtf)) GTEST_SKIP() << "this kernel has no BTF";
  if (geteuid() != 0) GTEST_SKIP() << "the cache must be root's: run as root";
  std::string root = temp_dir();
  std::string cache = root + "/cache/pmdabcc";  // made, with its parent
  std::string tree = btf_tree(cache);
  EXPECT_EQ(tree, cache + "/kernel-" + kernel_build_id());
  EXPECT_TRUE(exists(tree + "/vmlinux.h"));
  struct stat first {}, again {};
  ASSERT_EQ(stat((tree + "/vmlinux.h").c_str(), &first), 0);
  EXPECT_EQ(btf_tree(cache), tree);  // found, not made again (same file, below)
  ASSERT_EQ(stat((tree + "/vmlinux.h").c_str(), &again), 0);
  EXPECT_EQ(first.st_ino, again.st_ino) << "made again";

  chmod(cache.c_str(), 0777);
  try {
    btf_tree(cache);
    ADD_FAILURE() << "a world-writable cache was used";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("must be owned by root and writable by no one else"),
              std::string::npos)
        << e.what();
  }
  remove_all(root);
}

TEST(BtfTreeCache, KeyIsTheKernelsBuildId) {
  if (!exists(kKernelBtf)) GTEST_SKIP() << "this kernel has no BTF";
  std::string id = kernel_build_id();
  EXPECT_FALSE(id.empty());
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef-btf"), std::string::npos) << id;
  EXPECT_EQ(kernel_build_id(), id);
}

TEST(BtfCompileNote, SaysWhatBtfCannotGive) {
  EXPECT_NE(btf_compile_note("main.c:1:10: fatal error: 'linux/nfs_fs.h' file not found")
                .find("includes a header BTF cannot give"),
            std::string::npos);
  EXPECT_NE(btf_compile_note("main.c:3:5: error: use of undeclared identifier 'NFS_MAXNAMLEN'")
                .find("not the macros"),
            std::string::npos);
  EXPECT_EQ(btf_compile_note("main.c:3:5: error: expected ';' after expression"), "");
}

}  // namespace
}  // namespace bcc::loader
