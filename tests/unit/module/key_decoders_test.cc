// The named key decoders (number, syscall, errno, comm, pid, ksym, addresses,
// disk, cgroup) and the key sizes they need; key_fields: a struct key named
// field by field with them, as built-in modules name theirs ("1234::read").
#include "module/key_decoders.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstring>
#include <filesystem>

#include "module/process_instances.h"

using namespace bcc;

namespace {

std::string key_of(uint32_t pid, uint32_t call) {
  std::string key(8, '\0');
  std::memcpy(key.data(), &pid, 4);
  std::memcpy(key.data() + 4, &call, 4);
  return key;
}

std::string bytes_of(const void* data, size_t size) {
  return std::string(static_cast<const char*>(data), size);
}

// One value's bytes, as a key.
template <typename T>
std::string key_of(T value) {
  return bytes_of(&value, sizeof(value));
}

TEST(KeyDecoders, Numbers) {
  EXPECT_EQ(make_key_decoder({"", "number"})(key_of<uint32_t>(42)), "42");
  EXPECT_EQ(make_key_decoder({"s32", "number"})(key_of<int32_t>(-3)), "-3");
  EXPECT_EQ(make_key_decoder({"", "hex"})(key_of<uint64_t>(0x2a)), "0x2a");
  EXPECT_EQ(make_key_decoder({"u32", "cpu"})(key_of<uint32_t>(3)), "cpu3");
  EXPECT_EQ(make_key_decoder({"", "number"})(key_of<uint8_t>(7)), "7");
}

TEST(KeyDecoders, Names) {
  EXPECT_EQ(make_key_decoder({"", "syscall"})(key_of<uint32_t>(0)), "read");
  EXPECT_EQ(make_key_decoder({"s64", "syscall"})(key_of<int64_t>(257)), "openat");
  EXPECT_EQ(make_key_decoder({"", "errno"})(key_of<int32_t>(-ENOENT)), "ENOENT");
  EXPECT_EQ(make_key_decoder({"", "errno"})(key_of<uint32_t>(EACCES)), "EACCES");
  // numbers no errno can be stay numbers: no overflow, no alias after truncation
  EXPECT_EQ(make_key_decoder({"s64", "errno"})(key_of<int64_t>(INT64_MIN)),
            "-9223372036854775808");
  EXPECT_EQ(make_key_decoder({"s64", "errno"})(key_of<int64_t>((int64_t{1} << 32) + ENOENT)),
            "4294967298");
  EXPECT_EQ(make_key_decoder({"s64", "errno"})(key_of<int64_t>(-ENOENT)), "ENOENT");
  char comm[16] = "bash";
  EXPECT_EQ(make_key_decoder({"", "comm"})(bytes_of(comm, sizeof(comm))), "bash");
  // "PID cmd", as the per-process modules name processes
  std::string own = make_key_decoder({"", "pid"})(key_of<uint32_t>(getpid()));
  EXPECT_EQ(own, process_instance_name(getpid()));
  EXPECT_EQ(own.substr(0, 7), padded_pid(getpid()) + " ");
  // kallsyms is readable here; an address no symbol covers
  EXPECT_EQ(make_key_decoder({"", "ksym"})(key_of<uint64_t>(1)), "[unknown]");
}

TEST(KeyDecoders, Addresses) {
  uint8_t v4[8] = {10, 0, 0, 1, 0, 0, 0, 0};
  uint16_t port = 8080;
  std::memcpy(v4 + 4, &port, 2);
  EXPECT_EQ(make_key_decoder({"", "ipv4"})(bytes_of(v4, 4)), "10.0.0.1");
  EXPECT_EQ(make_key_decoder({"", "ipv4:port"})(bytes_of(v4, 8)), "10.0.0.1:8080");
  uint8_t v6[24] = {};
  v6[15] = 1;
  std::memcpy(v6 + 16, &port, 2);
  EXPECT_EQ(make_key_decoder({"", "ipv6"})(bytes_of(v6, 16)), "::1");
  EXPECT_EQ(make_key_decoder({"", "ipv6:port"})(bytes_of(v6, 24)), "[::1]:8080");
}

TEST(KeyDecoders, BlockDevicesFallBackToNumbers) {
  // major 1 << 20 | minor 3: no such block device anywhere
  uint32_t dev = (4000u << 20) | 3;
  EXPECT_EQ(make_key_decoder({"", "disk"})(key_of(dev)), "4000:3");
}

TEST(KeyDecoders, CgroupPathsFromIds) {
  namespace fs = std::filesystem;
  fs::path root = fs::temp_directory_path() / ("cgroups-" + std::to_string(getpid()));
  fs::create_directories(root / "system.slice" / "pmcd.service");
  struct stat st {};
  ASSERT_EQ(stat((root / "system.slice" / "pmcd.service").c_str(), &st), 0);
  KeyDecoder decode = make_key_decoder({"u64", "cgroup"}, root.string());
  EXPECT_EQ(decode(key_of<uint64_t>(st.st_ino)), "/system.slice/pmcd.service");
  ASSERT_EQ(stat(root.c_str(), &st), 0);
  EXPECT_EQ(decode(key_of<uint64_t>(st.st_ino)), "/");
  fs::remove_all(root);
}

TEST(KeyDecoders, KeySizes) {
  EXPECT_EQ(key_size_problem({"", "number"}, 4), "");
  EXPECT_NE(key_size_problem({"u32", "number"}, 8).find("not u32"), std::string::npos);
  EXPECT_NE(key_size_problem({"", "ksym"}, 4).find("8 bytes"), std::string::npos);
  EXPECT_EQ(key_size_problem({"", "comm"}, 16), "");
  EXPECT_NE(key_size_problem({"", "ipv6:port"}, 16).find("u16 port"), std::string::npos);
  EXPECT_EQ(key_size_problem({"", "none"}, 12), "");
}

TEST(KeyFields, EachFieldByItsDecoderJoined) {
  KeyDecoder name = key_fields({{0, 4, {"u32", "number"}}, {4, 4, {"u32", "syscall"}}});
  EXPECT_EQ(name(key_of(1234, 0)), "1234::read");
  EXPECT_EQ(name(key_of(7, 1000)), "7::UNDEF1000");
  KeyDecoder slash = key_fields({{4, 4, {"u32", "number"}}, {0, 4, {"u32", "number"}}}, "/");
  EXPECT_EQ(slash(key_of(1, 2)), "2/1");
}

TEST(KeyFields, AShortKeyOrAnUnknownDecoderLeavesTheEntryOut) {
  KeyDecoder name = key_fields({{0, 4, {"u32", "number"}}, {4, 4, {"u32", "syscall"}}});
  EXPECT_EQ(name(std::string(6, '\0')), "");
  EXPECT_EQ(key_fields({{0, 4, {"u32", "no-such-decoder"}}})(key_of(1, 2)), "");
}

// Names are passed on raw: the PMDA layer escapes what PCP cannot carry.
TEST(KeyFields, HostileCommandNamesPassedOnRaw) {
  std::string key = key_of(42, 0);
  std::string comm("a b\nc\t\x01\x7f", 8);
  std::string comm_field(16, '\0');
  std::memcpy(comm_field.data(), comm.data(), comm.size());
  KeyDecoder name = key_fields({{0, 4, {"u32", "number"}}, {8, 16, {"", "comm"}}});
  EXPECT_EQ(name(key + comm_field), "42::" + comm);
}

}  // namespace
