// Names of code addresses without libbcc: kallsyms parsed into one shared
// table, process symbols through libdwfl, stack trace maps.
#include "bpf/symbols.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "bpf/tables.h"
#include "support/test_maps.h"

using namespace bcc;
using bcc::testing::TestMaps;

namespace {

const char* kKallsyms =
    "ffffffff81000000 T _stext\n"
    "ffffffff81000000 T _text\n"        // same address: the first listed wins
    "ffffffff81001000 t early_helper\n"
    "ffffffff82000000 D some_data\n"    // data: skipped
    "ffffffff81002000 W weak_function\n"
    "ffffffff81003000 r rodata_thing\n"  // read-only data: skipped
    "ffffffffc0001000 t ext4_fill_super\t[ext4]\n"
    "ffffffff81000500 T out_of_order\n"  // kallsyms is not entirely sorted
    "0000000000000000 T hidden_by_kptr_restrict\n"
    "not a line\n"
    "ffffffff81004000 w weak_local\n"
    "ffffffff81005000 U\n"
    "ffffffff81005ff0 T __pfx_padded_function\n"  // padding: shares the function's name
    "ffffffff81006000 T padded_function\n"
    "ffffffff81007000 t __pfx_lonely\n";          // no function of that name: kept whole

TEST(KernelSymbolTable, KeepsTextSymbolsSortedAndFindsTheOneAtOrBefore) {
  std::istringstream in(kKallsyms);
  KernelSymbolTable table = KernelSymbolTable::parse(in);
  EXPECT_EQ(table.size(), 9u);
  uint64_t offset = 99;
  EXPECT_EQ(table.find(0xffffffff81000000, &offset), "_stext");
  EXPECT_EQ(offset, 0u);
  EXPECT_EQ(table.find(0xffffffff81000510, &offset), "out_of_order");
  EXPECT_EQ(offset, 0x10u);
  EXPECT_EQ(table.find(0xffffffff81001fff), "early_helper");
  EXPECT_EQ(table.find(0xffffffff81002001), "weak_function");
  EXPECT_EQ(table.find(0xffffffff81004000), "weak_local");
  EXPECT_EQ(table.find(0xffffffffc0001234, &offset), "ext4_fill_super");  // no "[ext4]"
  EXPECT_EQ(offset, 0x234u);
  EXPECT_EQ(table.find(0xffffffff81005ff8, &offset), "__pfx_padded_function");
  EXPECT_EQ(offset, 8u);
  EXPECT_EQ(table.find(0xffffffff81006004), "padded_function");
  EXPECT_EQ(table.find(0xffffffff81007001), "__pfx_lonely");
  EXPECT_EQ(table.find(0xffffffff80ffffff), "");
  EXPECT_EQ(table.find(0), "");
}

TEST(KernelSymbolTable, EmptyInputGivesAnEmptyTable) {
  std::istringstream in("");
  KernelSymbolTable table = KernelSymbolTable::parse(in);
  EXPECT_EQ(table.size(), 0u);
  EXPECT_EQ(table.find(0xffffffff81000000), "");
}

// The address /proc/kallsyms gives a text symbol, 0 when it is not there.
uint64_t kallsyms_address(const std::string& name) {
  std::ifstream in("/proc/kallsyms");
  std::string address, type, symbol;
  while (in >> address >> type >> symbol) {
    in.ignore(1 << 20, '\n');
    if (symbol == name && (type == "T" || type == "t")) return std::stoull(address, nullptr, 16);
  }
  return 0;
}

TEST(KernelSymbols, NamesTheRunningKernelsFunctions) {
  uint64_t schedule = kallsyms_address("schedule");
  if (schedule == 0) GTEST_SKIP() << "/proc/kallsyms shows no addresses (kptr_restrict, not root)";
  preload_kernel_symbols();
  const KernelSymbolTable& table = kernel_symbols();
  EXPECT_EQ(&table, &kernel_symbols());  // one table per process
  EXPECT_GT(table.size(), 1000u);
  std::cout << "kallsyms: " << table.size() << " text symbols in " << table.memory() / 1024
            << " KiB\n";
  Symbols symbols;
  EXPECT_EQ(symbols.kernel(schedule), "schedule");
  EXPECT_EQ(symbols.kernel(schedule + 0x1f, true), "schedule+0x1f");
  EXPECT_EQ(symbols.kernel(1), "[unknown]");
  EXPECT_EQ(symbols.user(0, schedule), "schedule");  // no process: the kernel
}

TEST(Demangle, CppNamesReadableOthersUnchanged) {
  EXPECT_EQ(demangle("_ZN3foo3barEi"), "foo::bar(int)");
  EXPECT_EQ(demangle("main"), "main");
  EXPECT_EQ(demangle("_Znot_really_mangled"), "_Znot_really_mangled");
  EXPECT_EQ(demangle(nullptr), "");
}

TEST(Stacks, UnknownOrNegativeIdsHaveNoFrames) {
  TestMaps maps;
  CREATE_OR_SKIP(maps, "stack_traces", BPF_MAP_TYPE_STACK_TRACE, 4, 127 * 8, 128);
  EXPECT_TRUE(stack_addresses(maps, "stack_traces", -14).empty());
  EXPECT_TRUE(stack_addresses(maps, "stack_traces", 3).empty());
  clear_map(maps, "stack_traces");  // empty: nothing to delete, no error
  EXPECT_THROW(stack_addresses(maps, "no_such_map", 3), std::runtime_error);
}

}  // namespace

// Functions of this test binary, whose names Symbols::user must find.
extern "C" __attribute__((noinline)) int lean_symbols_c_function(int x) {
  asm volatile("" ::: "memory");
  return x * 3 + 1;
}
namespace lean_symbols {
__attribute__((noinline)) int cpp_function(int x) {
  asm volatile("" ::: "memory");
  return x * 5 + 2;
}
}  // namespace lean_symbols

namespace {

uint64_t address_of(int (*f)(int)) { return reinterpret_cast<uint64_t>(f); }

TEST(UserSymbols, NamesFunctionsOfARunningProcess) {
  Symbols symbols;
  int pid = getpid();
  EXPECT_EQ(symbols.user(pid, address_of(lean_symbols_c_function)), "lean_symbols_c_function");
  EXPECT_EQ(symbols.user(pid, address_of(lean_symbols_c_function) + 2), "lean_symbols_c_function");
  EXPECT_EQ(symbols.user(pid, address_of(lean_symbols::cpp_function)),
            "lean_symbols::cpp_function(int)");
  // a shared library's function (libc's getpid, or an alias of it)
  std::string libc_name = symbols.user(pid, reinterpret_cast<uint64_t>(&getpid));
  EXPECT_NE(libc_name.find("getpid"), std::string::npos) << libc_name;
  EXPECT_EQ(symbols.user(pid, 0x10), "[unknown]");
  symbols.forget_processes();
  EXPECT_EQ(symbols.user(pid, address_of(lean_symbols_c_function)), "lean_symbols_c_function");
  EXPECT_EQ(symbols.user(999999999, address_of(lean_symbols_c_function)), "[unknown]");
}

// What a profile's stop relies on: mappings read while the process ran name
// its functions after it has exited and been reaped.
TEST(UserSymbols, MappingsReadWhileRunningNameAProcessThatExited) {
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    for (;;) pause();
  }
  Symbols symbols;
  symbols.read_mappings(child);
  kill(child, SIGKILL);
  ASSERT_EQ(waitpid(child, nullptr, 0), child);
  ASSERT_NE(access(("/proc/" + std::to_string(child)).c_str(), F_OK), 0);
  // fork keeps the layout: the child's function is where ours is
  EXPECT_EQ(symbols.user(child, address_of(lean_symbols_c_function)), "lean_symbols_c_function");
  // one never read, and gone, has no names
  Symbols fresh;
  EXPECT_EQ(fresh.user(child, address_of(lean_symbols_c_function)), "[unknown]");
}

}  // namespace
