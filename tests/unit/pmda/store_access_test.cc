// Who may store (root and allowed_users) and who may register programs
// (root and register_users, never pcp).
#include "pmda/store_access.h"

#include <gtest/gtest.h>
#include <pwd.h>

#include <string>
#include <vector>

namespace {

TEST(StoreAccess, RootAndAllowedUsersOnly) {
  bcc::StoreAccess access({"nobody", "4242", "no-such-user-here"});
  EXPECT_EQ(access.unknown(), std::vector<std::string>{"no-such-user-here"});
  access.set_user(1, 0);
  access.set_user(2, 4242);
  access.set_user(3, 1234);
  EXPECT_EQ(access.refusal(1), "");
  EXPECT_EQ(access.refusal(2), "");
  EXPECT_NE(access.refusal(3).find("user id 1234 is neither root"), std::string::npos);
  EXPECT_NE(access.refusal(4).find("user is unknown"), std::string::npos);
  access.end_context(1);
  EXPECT_NE(access.refusal(1), "");
}

TEST(StoreAccess, OnlyRootByDefault) {
  bcc::StoreAccess access;
  access.set_user(1, 65534);
  EXPECT_NE(access.refusal(1), "");
}

// Registering a program is root: allowed_users may store (profile
// start/stop) but not register; only root and register_users may.
TEST(StoreAccess, RegisteringIsForRootAndRegisterUsersOnly) {
  bcc::StoreAccess access({"4242"}, {"4343"}, "pcp");
  EXPECT_EQ(access.register_problem(), "");
  access.set_user(1, 0);
  access.set_user(2, 4242);
  access.set_user(3, 4343);
  using R = bcc::StoreRight;
  EXPECT_EQ(access.refusal(1, R::register_programs), "");
  EXPECT_NE(access.refusal(2, R::register_programs).find("user id 4242 may not register programs"),
            std::string::npos);
  EXPECT_EQ(access.refusal(2, R::store), "");
  EXPECT_EQ(access.refusal(3, R::register_programs), "");
  EXPECT_EQ(access.refusal(3, R::store), "") << "who may register may store";
  EXPECT_NE(access.refusal(9, R::register_programs).find("unknown"), std::string::npos);
}

// pcp is the identity pmproxy gives every HTTP client: never in
// register_users, by name or by id.
TEST(StoreAccess, PcpIsRefusedInRegisterUsers) {
  EXPECT_NE(bcc::StoreAccess({}, {"alice", "pcp"}, "pcp").register_problem().find(
                "[pmda] register_users names 'pcp', PCP's own user (pcp): registering a "
                "program is root"),
            std::string::npos);
  EXPECT_EQ(bcc::StoreAccess({"pcp"}, {}, "pcp").register_problem(), "")
      << "pcp may still store (profile start/stop)";
  if (const passwd* pw = getpwnam("pcp")) {
    bcc::StoreAccess by_id({}, {std::to_string(pw->pw_uid)}, "pcp");
    EXPECT_NE(by_id.register_problem().find("PCP's own user"), std::string::npos);
    by_id.set_user(1, pw->pw_uid);
    EXPECT_NE(by_id.refusal(1, bcc::StoreRight::register_programs), "");
  }
  // another PCP_USER
  EXPECT_NE(bcc::StoreAccess({}, {"pmuser"}, "pmuser").register_problem(), "");
}

// pmcd sends the credentials of the clients connected when the agent
// starts, then no end-of-context for those that leave before it is ready;
// their slots are reused. At ready, every credential is forgotten.
TEST(StoreAccess, ForgetAllLeavesEveryContextUnknown) {
  bcc::StoreAccess access;
  access.set_user(0, 0);
  access.set_user(5, 0);
  EXPECT_EQ(access.forget_all(), 2u);
  EXPECT_NE(access.refusal(0).find("unknown"), std::string::npos);
  EXPECT_NE(access.refusal(5, bcc::StoreRight::register_programs).find("reconnect"),
            std::string::npos);
}

}  // namespace
