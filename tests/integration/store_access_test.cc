// pmstore changes what the agent does (profile start/stop), so only root and
// the users [pmda] allowed_users names may store; pmcd passes the client's
// credentials (PMDA_FLAG_AUTHORIZE) on local connections.
#include <gtest/gtest.h>

#include "support/installed_agent.h"
#include "support/pcp_client.h"

namespace bcc::test {
namespace {

std::string conf(const std::string& allowed) {
  return "[pmda]\nmodules = profile\n" + allowed +
         "\n[profile]\nmodule = profile\ncluster = 14\n";
}

std::string store_as(const std::string& user, const std::string& value, int& status) {
  std::string as = user == "root" ? "" : "runuser -u " + user + " -- ";
  return run(as + "pmstore -h local: bcc.proc.profile " + value + " 2>&1", &status);
}

class StoreAccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string unavailable = integration_unavailable();
    if (!unavailable.empty()) GTEST_SKIP() << unavailable;
    int status = 0;
    run("id nobody >/dev/null 2>&1", &status);
    if (status != 0) GTEST_SKIP() << "no user 'nobody' to store as";
  }
  InstalledAgent agent_;
  PcpClient pcp_;
};

TEST_F(StoreAccessTest, OnlyRootMayStoreByDefault) {
  ASSERT_TRUE(agent_.install(conf(""))) << agent_.log();
  int status = 0;
  std::string out = store_as("nobody", "start", status);
  EXPECT_NE(status, 0) << out;
  EXPECT_NE(out.find("No permission"), std::string::npos) << out;
  EXPECT_NE(agent_.log().find("pmstore refused: user id 65534 is neither root nor in [pmda] allowed_users"),
            std::string::npos)
      << agent_.log();
  EXPECT_NE(pcp_.strings("bcc.proc.profile")[""].find("\"status\": \"stopped\""), std::string::npos);

  out = store_as("root", "start", status);
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(pcp_.strings("bcc.proc.profile")[""].find("\"status\": \"started\""), std::string::npos);
  out = store_as("root", "stop", status);
  EXPECT_EQ(status, 0) << out;
}

TEST_F(StoreAccessTest, AllowedUsersMayStore) {
  ASSERT_TRUE(agent_.install(conf("allowed_users = nobody"))) << agent_.log();
  int status = 0;
  std::string out = store_as("nobody", "start", status);
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(pcp_.strings("bcc.proc.profile")[""].find("\"status\": \"started\""), std::string::npos);
  store_as("nobody", "stop", status);
  EXPECT_EQ(status, 0);
}

}  // namespace
}  // namespace bcc::test
