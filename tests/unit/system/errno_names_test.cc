// errno values by name and number.
#include "system/errno_names.h"

#include <gtest/gtest.h>

#include <cerrno>

using namespace bcc;

namespace {

TEST(ErrnoNames, NamesAndNumbersBothWays) {
  EXPECT_EQ(parse_errno("ENOENT"), ENOENT);
  EXPECT_EQ(parse_errno("EWOULDBLOCK"), EAGAIN);
  EXPECT_EQ(parse_errno("2"), 2);
  EXPECT_EQ(parse_errno("-13"), 13);
  EXPECT_EQ(errno_name(ENOENT), "ENOENT");
  EXPECT_EQ(errno_name(EACCES), "EACCES");
}

TEST(ErrnoNames, RejectsWhatIsNoErrno) {
  EXPECT_FALSE(parse_errno(""));
  EXPECT_FALSE(parse_errno("0"));
  EXPECT_FALSE(parse_errno("ENOSUCHTHING"));
  EXPECT_FALSE(parse_errno("2x"));
  EXPECT_FALSE(parse_errno("99999"));
  EXPECT_EQ(errno_name(0), "");
}

}  // namespace
