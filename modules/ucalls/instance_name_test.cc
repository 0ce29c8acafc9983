// Instance names cleaned as the Python agent cleaned them.
#include "instance_name.h"

#include <gtest/gtest.h>

namespace bcc {
namespace {

TEST(InstanceName, CleanedAsThePythonAgentDid) {
  EXPECT_EQ(clean_instance_name("java/lang/String.<init>"), "java.lang.String.<init>");
  EXPECT_EQ(clean_instance_name("PmdabccJavaTarget.main"), "PmdabccJavaTarget.main");
  EXPECT_EQ(clean_instance_name("[Ljava/lang/Object;.clone"), "Ljava.lang.Object");
  EXPECT_EQ(clean_instance_name("  a[0]_b"), "a{0}_b");
  EXPECT_EQ(clean_instance_name("Outer$Inner.run"), "Outer");
  EXPECT_EQ(clean_instance_name(".proc"), "proc");
  EXPECT_EQ(clean_instance_name(""), "");
}

}  // namespace
}  // namespace bcc
