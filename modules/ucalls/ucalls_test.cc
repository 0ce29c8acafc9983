// ucalls on fake maps: the hash `calls` (key struct method_t { char
// clazz[128]; char method[128]; }, value struct calls_t { u64 count, timed,
// total_us; }) gives bcc.proc.ucall.count, .latency.avg (total_us / timed)
// and .latency.cml by "Class.method", cleaned as the Python agent cleaned
// names (Java's '/' becomes '.', the name stops at the first character that
// is not a letter, digit or one of "./<>[]_"); names the cleaning makes
// equal are added up. Names are kept between fetches and forgotten with
// their key.
#include <cstring>

#include "module_harness.h"

using namespace bcc;
using bcc::testing::by_instance;
using bcc::testing::ModuleHarness;
using bcc::testing::Values;

namespace {

MapEntry method_calls(const std::string& clazz, const std::string& method, uint64_t count,
                      uint64_t timed, uint64_t total_us) {
  std::string key(256, '\0'), value(24, '\0');
  std::memcpy(key.data(), clazz.data(), std::min<size_t>(clazz.size(), 128));
  std::memcpy(key.data() + 128, method.data(), std::min<size_t>(method.size(), 128));
  std::memcpy(value.data(), &count, 8);
  std::memcpy(value.data() + 8, &timed, 8);
  std::memcpy(value.data() + 16, &total_us, 8);
  return {key, value};
}

const char* kJava = "process = 1\nlanguage = java\nlatency = True\n";

TEST(Ucalls, CountsAndLatencyByCleanedMethodName) {
  ModuleHarness h("ucalls", kJava);
  h.maps.contents["calls"] = {method_calls("java/lang/Thread", "run", 5, 4, 400),
                              method_calls("Main", "<init>", 2, 2, 30)};
  auto values = h.fetch();
  EXPECT_EQ(by_instance(values["proc.ucall.count"]),
            (Values{{"java.lang.Thread.run", 5}, {"Main.<init>", 2}}));
  EXPECT_EQ(by_instance(values["proc.ucall.latency.avg"]),
            (Values{{"java.lang.Thread.run", 100}, {"Main.<init>", 15}}));
  EXPECT_EQ(by_instance(values["proc.ucall.latency.cml"]),
            (Values{{"java.lang.Thread.run", 400}, {"Main.<init>", 30}}));
  EXPECT_EQ(h.maps.entry_reads["calls"], 1);
}

// Spaces, newlines and control characters end the name; what is left of
// two hostile names may be one name, whose calls are added up.
TEST(Ucalls, HostileNamesAreCutAndMergedNotLeaked) {
  ModuleHarness h("ucalls", kJava);
  h.maps.contents["calls"] = {method_calls("evil pkg", "x", 1, 0, 0),
                              method_calls("evil\nClass", "y", 2, 0, 0),
                              method_calls("evil\x01", "z", 4, 0, 0),
                              method_calls("\x1b[31m", "", 8, 0, 0)};
  EXPECT_EQ(by_instance(h.fetch()["proc.ucall.count"]), (Values{{"evil", 7}, {"31m.", 8}}));
}

TEST(Ucalls, NamesFollowTheMapFromOneFetchToTheNext) {
  ModuleHarness h("ucalls", kJava);
  h.maps.contents["calls"] = {method_calls("A", "one", 1, 0, 0), method_calls("B", "two", 2, 0, 0)};
  EXPECT_EQ(by_instance(h.fetch()["proc.ucall.count"]), (Values{{"A.one", 1}, {"B.two", 2}}));
  // B.two gone from the map, A.one counted again, C.three new
  h.maps.contents["calls"] = {method_calls("A", "one", 6, 0, 0),
                              method_calls("C", "three", 3, 0, 0)};
  EXPECT_EQ(by_instance(h.fetch()["proc.ucall.count"]), (Values{{"A.one", 6}, {"C.three", 3}}));
  h.maps.contents["calls"] = {method_calls("B", "two", 9, 0, 0)};
  EXPECT_EQ(by_instance(h.fetch()["proc.ucall.count"]), (Values{{"B.two", 9}}));
}

}  // namespace
