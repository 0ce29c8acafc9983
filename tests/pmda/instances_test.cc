// InstanceDomain over libpcp_pmda's cache, saved in a PCP_VAR_DIR of the
// test's own.
#include "pmda/instances.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <malloc.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <set>
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
  static std::string saved(pmInDom indom) {
    std::ifstream in(std::string(getenv("PCP_VAR_DIR")) + "/config/pmda/" + pmInDomStr(indom));
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  // What PCP is given: the active instances' ids and names.
  static void expect_pcp_rules(const pmdaIndom& entry) {
    std::set<std::string> words;
    std::set<int> ids;
    for (int i = 0; i < entry.it_numinst; i++) {
      std::string name = entry.it_set[i].i_name;
      EXPECT_TRUE(ids.insert(entry.it_set[i].i_inst).second) << "id used twice";
      EXPECT_TRUE(words.insert(name.substr(0, name.find(' '))).second)
          << "\"" << name << "\": another instance has the same first word";
      EXPECT_LE(name.size(), kMaxInstanceName + 8) << name;
      for (unsigned char c : name) EXPECT_FALSE(c < 0x20 || c == 0x7f) << "control in " << name;
    }
  }
};

// Names users choose: spaces, newlines, control characters, backslashes,
// long names, and the per-process form "PID COMMAND" (two names with the same
// number in one fetch are in NamesWithSpacesDoNotAliasAnother: which of them
// keeps the number's id depends on their order).
const std::vector<std::string> kHostile = {
    "sshd", "sshd x", "sshd\nx", "sshd\tx", "sshd\\x0ax", "sshd\\x20x", "a\n7 0 forged",
    "\x7f\x01\x1b[31m", "[empty]", "001000 bash", "001001 my prog", "42",
    std::string(5000, 'L') + "1", std::string(5000, 'L') + "2", std::string("nul\0in", 6),
    "caf\xc3\xa9 \xc3\xa9t\xc3\xa9"};

// A fetch that reports the names of the one before (the common case, which
// takes a shorter way) gets the same ids and gives PCP the same set; a
// change of any name, of their number or of their order is named again.
TEST_F(Instances, RepeatedNamesKeepTheirIdsAndAChangeIsSeen) {
  InstanceDomain d(pmInDom_build(149, 31));
  pmdaIndom entry{d.indom(), 0, nullptr};
  d.bind(&entry);
  std::vector<int> first = activate(d, kHostile);
  for (int round = 0; round < 3; round++) {
    EXPECT_EQ(activate(d, kHostile), first);
    EXPECT_EQ(entry.it_numinst, static_cast<int>(kHostile.size()));
    expect_pcp_rules(entry);
  }
  std::vector<std::string> fewer(kHostile.begin() + 1, kHostile.end());
  std::vector<int> after = activate(d, fewer);
  EXPECT_EQ(after, std::vector<int>(first.begin() + 1, first.end()));
  EXPECT_EQ(entry.it_numinst, static_cast<int>(fewer.size()));
  std::vector<std::string> renamed = fewer;
  renamed[0] = "sshd y";  // "sshd x" was there: a new instance
  std::vector<int> again = activate(d, renamed);
  EXPECT_EQ(std::vector<int>(again.begin() + 1, again.end()),
            std::vector<int>(after.begin() + 1, after.end()));
  EXPECT_EQ(std::count(first.begin(), first.end(), again[0]), 0);
  std::vector<std::string> reordered(renamed.rbegin(), renamed.rend());
  std::vector<int> reversed = activate(d, reordered);
  EXPECT_EQ(std::vector<int>(reversed.rbegin(), reversed.rend()), again);
  expect_pcp_rules(entry);
  d.forget_all();
  EXPECT_EQ(d.known(), 0u);
  activate(d, kHostile);
  EXPECT_EQ(d.known(), kHostile.size());
}

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

TEST_F(Instances, ProcessNameChangeKeepsItsId) {
  // an exec (or the pid reused): "001000 bash" becomes "001000 python"
  InstanceDomain d(pmInDom_build(149, 904), false, Forgetting{true});
  std::vector<int> first = activate(d, {"001000 bash", "002000 sshd"});
  std::vector<int> then = activate(d, {"001000 python", "002000 sshd"});
  ASSERT_GE(first[0], 0);
  EXPECT_EQ(then[0], first[0]);
  EXPECT_EQ(then[1], first[1]);
  EXPECT_STREQ(d.name(first[0]), "001000 python");
  EXPECT_NE(saved(d.indom()).find(std::to_string(first[0]) + " "), std::string::npos);
  EXPECT_NE(saved(d.indom()).find(" 001000 python\n"), std::string::npos) << saved(d.indom());
  EXPECT_EQ(saved(d.indom()).find("bash"), std::string::npos) << saved(d.indom());
}

TEST_F(Instances, NamesWithSpacesDoNotAliasAnother) {
  pmdaIndom entry{};
  InstanceDomain d(pmInDom_build(149, 905), false, Forgetting{true});
  d.bind(&entry);
  std::vector<int> ids = activate(d, {"sshd", "sshd x"});
  EXPECT_NE(ids[0], ids[1]);
  EXPECT_STREQ(d.name(ids[0]), "sshd");
  EXPECT_STREQ(d.name(ids[1]), "sshd\\x20x");
  expect_pcp_rules(entry);
  // one at a time, too: "sshd x" never takes sshd's id
  std::vector<int> alone = activate(d, {"sshd x"});
  EXPECT_EQ(alone[0], ids[1]);
  alone = activate(d, {"sshd"});
  EXPECT_EQ(alone[0], ids[0]);
  // a number and a space in one fetch: still two instances
  std::vector<int> numbered = activate(d, {"42 x", "42 y"});
  EXPECT_NE(numbered[0], numbered[1]);
  expect_pcp_rules(entry);
}

TEST_F(Instances, HostileNamesStayDistinctAndClean) {
  pmdaIndom entry{};
  InstanceDomain d(pmInDom_build(149, 906), false, Forgetting{true});
  d.bind(&entry);
  std::vector<int> ids = activate(d, kHostile);
  ASSERT_EQ(ids.size(), kHostile.size());
  EXPECT_EQ(std::set<int>(ids.begin(), ids.end()).size(), kHostile.size());
  for (int id : ids) ASSERT_GE(id, 0);
  EXPECT_EQ(entry.it_numinst, static_cast<int>(kHostile.size()));
  expect_pcp_rules(entry);
  EXPECT_STREQ(d.name(ids[2]), "sshd\\x0ax");
  EXPECT_STREQ(d.name(ids[4]), "sshd\\\\x0ax");  // a literal backslash is not an escape
  EXPECT_STREQ(d.name(ids[10]), "001001 my\\x20prog");
  EXPECT_STREQ(d.name(ids[11]), "42");
  // the same names again, in another order: the same ids
  std::vector<std::string> reversed(kHostile.rbegin(), kHostile.rend());
  std::vector<int> again = activate(d, reversed);
  for (size_t i = 0; i < ids.size(); i++) EXPECT_EQ(again[ids.size() - 1 - i], ids[i]) << i;
}

TEST_F(Instances, ANewlineCannotForgeASavedInstance) {
  pmInDom indom = pmInDom_build(149, 907);
  std::vector<int> ids;
  {
    InstanceDomain d(indom, false, Forgetting{true});
    ids = activate(d, kHostile);
  }
  std::string text = saved(indom);
  // one header line and one line per name
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), static_cast<long>(kHostile.size() + 1))
      << text;
  EXPECT_EQ(text.find("\n7 0 forged"), std::string::npos) << text;
  for (unsigned char c : text) EXPECT_FALSE((c < 0x20 && c != '\n') || c == 0x7f);

  // the next start: every name and id comes back, nothing else
  pmdaIndom entry{};
  InstanceDomain reloaded(indom, false, Forgetting{true});
  reloaded.bind(&entry);
  EXPECT_EQ(reloaded.known(), kHostile.size());
  for (size_t i = 0; i < ids.size(); i++) ASSERT_NE(reloaded.name(ids[i]), nullptr) << i;
  EXPECT_STREQ(reloaded.name(ids[6]), "a\\x0a7\\x200\\x20forged");
  std::vector<int> again = activate(reloaded, kHostile);
  EXPECT_EQ(again, ids);
  expect_pcp_rules(entry);
  // and a name new since then gets an id of its own
  std::vector<int> more = activate(reloaded, {"new one"});
  EXPECT_EQ(std::count(ids.begin(), ids.end(), more[0]), 0);
}

TEST_F(Instances, NamesAreCappedAndStayDistinct) {
  std::string a = instance_name(std::string(300, 'x') + "a");
  std::string b = instance_name(std::string(300, 'x') + "b");
  EXPECT_LE(a.size(), kMaxInstanceName);
  EXPECT_NE(a, b);
  // never cut inside an escape or a UTF-8 character
  std::string escaped = instance_name(std::string(181, 'x') + std::string(50, '\n'));
  EXPECT_EQ(escaped.substr(0, escaped.rfind('~')), std::string(181, 'x')) << escaped;
  std::string utf8;
  for (int i = 0; i < 150; i++) utf8 += "\xc3\xa9";
  std::string cut = instance_name(utf8);
  size_t tilde = cut.rfind('~');
  ASSERT_NE(tilde, std::string::npos);
  EXPECT_EQ(tilde % 2, 0u) << "a UTF-8 character cut in two";
}

TEST_F(Instances, ProcessDomainsNumberedByPidCleanTheirNames) {
  pmdaIndom entry{};
  InstanceDomain d(pmInDom_build(149, 908), true);
  d.bind(&entry);
  std::vector<int> ids = activate(d, {"001000 a\nb c", "001000 other", "002000 x\x1b"});
  EXPECT_EQ(ids, (std::vector<int>{1000, -1, 2000}));
  ASSERT_EQ(entry.it_numinst, 2);
  EXPECT_STREQ(d.name(1000), "001000 a\\x0ab\\x20c");
  expect_pcp_rules(entry);
}

// Forgotten names free their memory: a million distinct names (connections,
// short-lived processes) through one domain leave the heap where it was.
TEST_F(Instances, AMillionForgottenNamesKeepMemoryFlat) {
  pmdaIndom entry{};
  InstanceDomain d(pmInDom_build(149, 909), false,
                   Forgetting{true, 0, std::chrono::seconds(0)});
  d.bind(&entry);
  std::vector<std::string> batch(1000);
  auto fill = [&](int round) {
    for (size_t i = 0; i < batch.size(); i++)
      batch[i] = "10.0.0." + std::to_string(i % 250) + ":" + std::to_string(round) + "-" +
                 std::to_string(i);
  };
  for (int round = 0; round < 10; round++) {  // warm up
    fill(round);
    activate(d, batch);
  }
  malloc_trim(0);
  size_t before = mallinfo2().uordblks;
  for (int round = 10; round < 1000; round++) {
    fill(round);
    activate(d, batch);
    ASSERT_LE(d.known(), 2 * batch.size());
  }
  malloc_trim(0);
  size_t after = mallinfo2().uordblks;
  EXPECT_LT(after, before + 1024 * 1024) << "heap grew from " << before << " to " << after;
}

}  // namespace
}  // namespace bcc
