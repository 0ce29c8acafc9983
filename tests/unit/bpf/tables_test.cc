// Fields of raw map keys and values, as modules read them.
#include "bpf/tables.h"

#include <gtest/gtest.h>

using namespace bcc;

namespace {

TEST(Field, ReadsAtTheOffsetAndIsZeroOutOfRange) {
  std::string bytes("\x01\x00\x00\x00\x02\x00\x00\x00", 8);
  EXPECT_EQ(field<uint32_t>(bytes, 0), 1u);
  EXPECT_EQ(field<uint32_t>(bytes, 4), 2u);
  EXPECT_EQ(field<uint32_t>(bytes, 6), 0u);
}

TEST(TextField, StopsAtTheFirstNulOrTheFieldsEnd) {
  std::string key("\x07\x00\x00\x00" "bash\0\0\0\0" "abcdefgh", 20);
  EXPECT_EQ(text_field(key, 4, 8), "bash");
  EXPECT_EQ(text_field(key, 12, 8), "abcdefgh");   // full: no NUL inside
  EXPECT_EQ(text_field(key, 12, 16), "abcdefgh");  // cut by the end of the bytes
  EXPECT_EQ(text_field(key, 20, 4), "");
  EXPECT_EQ(text_field(key, 40, 4), "");
}

}  // namespace
