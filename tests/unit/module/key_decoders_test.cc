// key_fields: a struct key named field by field with the named decoders, as
// built-in modules name theirs ("1234::read").
#include "module/key_decoders.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>

using namespace bcc;

namespace {

std::string key_of(uint32_t pid, uint32_t call) {
  std::string key(8, '\0');
  std::memcpy(key.data(), &pid, 4);
  std::memcpy(key.data() + 4, &call, 4);
  return key;
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
