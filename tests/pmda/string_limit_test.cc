// Strings longer than a PCP value block can carry are replaced by a JSON
// marker that says so, instead of reaching clients cut short.
#include "pmda/string_limit.h"

#include <gtest/gtest.h>
#include <pcp/pmapi.h>

#include <string>

namespace bcc {
namespace {

TEST(StringLimit, MatchesPcpValueBlock) {
  EXPECT_EQ(kMaxStringValue + 1 + PM_VAL_HDR_SIZE, static_cast<size_t>(PM_VAL_VLEN_MAX));
}

TEST(StringLimit, LongestStringPassesWhole) {
  std::string longest(kMaxStringValue, 'x');
  EXPECT_EQ(&within_string_limit(longest), &longest);
}

TEST(StringLimit, LongerStringIsReplacedByAMarker) {
  std::string profile = "{\"status\": \"stopped\", \"data\": \"" +
                        std::string(kMaxStringValue, 'x') + "\"}";
  const std::string& sent = within_string_limit(profile);
  EXPECT_LT(sent.size(), 200u);
  EXPECT_EQ(sent, "{\"error\": \"value of " + std::to_string(profile.size()) +
                      " bytes is over PCP's 16 MiB limit for one value: not sent\"}");
}

}  // namespace
}  // namespace bcc
