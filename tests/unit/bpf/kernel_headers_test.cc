// What `[pmda] kernel_headers` chooses on the running kernel; its names
// (config/kernel_headers_mode) are checked here with the choice they make.
#include "bpf/kernel_headers.h"

#include <gtest/gtest.h>

#include "config/kernel_headers_mode.h"

namespace bcc {
namespace {

TEST(KernelHeadersSetting, NamesRoundTrip) {
  for (KernelHeaders m : {KernelHeaders::automatic, KernelHeaders::btf, KernelHeaders::installed})
    EXPECT_EQ(parse_kernel_headers(kernel_headers_name(m)), m);
  EXPECT_FALSE(parse_kernel_headers("yes"));
  HeaderSource btf = choose_kernel_headers(KernelHeaders::btf);
  EXPECT_TRUE(btf.btf);
  EXPECT_NE(btf.description.find("BTF"), std::string::npos);
  EXPECT_FALSE(choose_kernel_headers(KernelHeaders::installed).btf);
}

}  // namespace
}  // namespace bcc
