// InstanceDomain over libpcp_pmda's cache, saved in a PCP_VAR_DIR of the
// test's own.
#include "pmda/instances.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace bcc {
namespace {

class Instances : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_NE(mkdtemp(dir_), nullptr);
    std::string dir = dir_;
    setenv("PCP_VAR_DIR", dir_, 1);  // pmdaCache saves in its config/pmda
    ASSERT_EQ(system(("mkdir -p " + dir + "/config/pmda").c_str()), 0);
  }
  static void TearDownTestSuite() { system((std::string("rm -rf ") + dir_).c_str()); }
  static inline char dir_[] = "/tmp/pmdabcc-instances-XXXXXX";
  static std::vector<int> activate(InstanceDomain& d, std::vector<std::string> names) {
    std::vector<const std::string*> pointers;
    for (const std::string& n : names) pointers.push_back(&n);
    return d.set_active(pointers);
  }
};

TEST_F(Instances, NamesInactiveForLongAreForgotten) {
  pmInDom indom = pmInDom_build(149, 902);
  InstanceDomain d(indom, false, Forgetting{true, 1, std::chrono::seconds(0)});
  std::vector<int> ids = activate(d, {"001 gone", "002 stays"});
  ASSERT_NE(d.name(ids[0]), nullptr);
  for (int i = 0; i < 4; i++) {  // 2 s past the 1 s limit, "stays" active throughout
    sleep(1);
    activate(d, {"002 stays"});
  }
  EXPECT_EQ(d.name(ids[0]), nullptr) << "an instance inactive for 4 s is still known";
  ASSERT_NE(d.name(ids[1]), nullptr);
  EXPECT_STREQ(d.name(ids[1]), "002 stays");
  // nor in the saved copy
  std::ifstream saved(std::string(getenv("PCP_VAR_DIR")) + "/config/pmda/149.902");
  std::string text((std::istreambuf_iterator<char>(saved)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("002 stays"), std::string::npos) << text;
  EXPECT_EQ(text.find("001 gone"), std::string::npos) << text;
}

TEST_F(Instances, HistogramLikeDomainsKeepEveryName) {
  pmInDom indom = pmInDom_build(149, 903);
  InstanceDomain d(indom);  // not forgetting
  std::vector<int> ids = activate(d, {"0-1", "1024-2047"});
  for (int i = 0; i < 3; i++) {
    sleep(1);
    activate(d, {"0-1"});
  }
  EXPECT_STREQ(d.name(ids[1]), "1024-2047");
}

}  // namespace
}  // namespace bcc
