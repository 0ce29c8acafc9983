// What a program's text may include and declare, by where it comes from.
#include "loader/source_policy.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

using namespace bcc::loader;

namespace {

std::string registered(const std::string& text) {
  return policy_problem(text, SourcePolicy::registered, "");
}
std::string custom(const std::string& text, const std::string& dir = "") {
  return policy_problem(text, SourcePolicy::custom, dir);
}
bool refused(const std::string& text) { return !registered(text).empty(); }

const char kShadow[] = "#include \"/etc/shadow\"";

TEST(SourcePolicy, ModulesMayDoAnything) {
  EXPECT_EQ(policy_problem(std::string(kShadow) + "\nBPF_TABLE_PINNED(\"hash\", u32, u64, t, 1, "
                                                  "\"/sys/fs/bpf/x\");",
                           SourcePolicy::module, ""),
            "");
}

TEST(SourcePolicy, KernelAndBccHeadersAreAllowed) {
  std::string text =
      "#include <uapi/linux/ptrace.h>\n"
      "#include <linux/sched.h>\n"
      "  #  include <bcc/proto.h>\n"
      "#include_next <linux/types.h>\n"
      "#include <net/sock.h> // why\n"
      "#define X 1\n"
      "BPF_HASH(start, u32, u64);\n"
      "BPF_ARRAY(counts, u64, 1);\n"
      "BPF_PERF_OUTPUT(events);\n"
      "BPF_HISTOGRAM(dist);\n"
      "int f(void *ctx) { bpf_trace_printk(\"pid: %d\\n\", 1); return 0; }\n";
  EXPECT_EQ(registered(text), "");
  EXPECT_EQ(custom(text), "");
}

TEST(SourcePolicy, TheMessageNamesTheLineAndTheRule) {
  EXPECT_EQ(registered("#include <linux/sched.h>\n\n#include \"/etc/shadow\"\n"),
            "line 3: #include \"/etc/shadow\": a registered program may include only kernel and "
            "BCC headers (<linux/...>, <uapi/...>, <bcc/...>)");
}

TEST(SourcePolicy, RegisteredProgramsIncludeNoQuotedFiles) {
  EXPECT_TRUE(refused("#include \"x.h\""));
  EXPECT_TRUE(refused("#include \"/dev/stdin\""));
  EXPECT_TRUE(refused("#import \"x.h\""));
  EXPECT_TRUE(refused("#include_next \"x.h\""));
  EXPECT_TRUE(refused("#embed \"x.h\""));
}

TEST(SourcePolicy, AnglePathsMustBePlainAndRelative) {
  EXPECT_NE(registered("#include </etc/shadow>").find("absolute"), std::string::npos);
  EXPECT_TRUE(refused("#include <linux/../../../../etc/shadow>"));
  EXPECT_TRUE(refused("#include <../x.h>"));
  EXPECT_TRUE(refused("#include <linux/./x.h>"));
  EXPECT_TRUE(refused("#include <linux//x.h>"));
  EXPECT_TRUE(refused("#include <>"));
  EXPECT_TRUE(refused("#include <linux/x.h"));       // unterminated
  EXPECT_TRUE(refused("#include <linux/x\\y.h>"));   // backslash
  EXPECT_TRUE(refused("#include <linux/x\"y.h>"));   // quote
  EXPECT_TRUE(refused("#include <linux/*x.h>"));     // a comment in one reading
  EXPECT_TRUE(refused("#include <linux/x y.h>"));
  EXPECT_TRUE(refused(std::string("#include <linux/x\0.h>", 21)));
  EXPECT_EQ(registered("#include <linux/x-y_z+1.h>"), "");
}

TEST(SourcePolicy, ComputedIncludesAreRefused) {
  EXPECT_NE(registered("#define F \"/etc/shadow\"\n#include F\n").find("line 2: #include F"),
            std::string::npos);
  EXPECT_TRUE(refused("#include __FILE__"));
  EXPECT_TRUE(refused("#include"));
  EXPECT_TRUE(refused("#include\n<linux/x.h>"));
}

TEST(SourcePolicy, SplicesCommentsAndDigraphsDoNotHideDirectives) {
  EXPECT_TRUE(refused("#inc\\\nlude \"/etc/shadow\""));
  EXPECT_TRUE(refused("#inc\\   \nlude \"/etc/shadow\""));   // spaces before the newline
  EXPECT_TRUE(refused("#inc\\\r\nlude \"/etc/shadow\""));    // CRLF
  EXPECT_TRUE(refused("\\\n#include \"/etc/shadow\""));
  EXPECT_TRUE(refused("# /*x*/ include \"/etc/shadow\""));
  EXPECT_TRUE(refused("/* a */ # include \"/etc/shadow\""));
  EXPECT_TRUE(refused("#/* spans\n lines */include \"/etc/shadow\""));
  EXPECT_TRUE(refused("#include /* c */ \"/etc/shadow\""));
  EXPECT_TRUE(refused("%:include \"/etc/shadow\""));
  EXPECT_TRUE(refused("  \t\f\v#include \"/etc/shadow\""));
  EXPECT_TRUE(refused("int x;\r#include \"/etc/shadow\""));        // a lone CR ends a line
  EXPECT_TRUE(refused("int x;\r\n#include \"/etc/shadow\"\r\n"));
  EXPECT_TRUE(refused(std::string("\0#include \"/etc/shadow\"", 23)));  // NUL is white space
  EXPECT_TRUE(refused("\xC2\xA0#include \"/etc/shadow\""));          // no-break space
  EXPECT_TRUE(refused("#include\xC2\xA0\"/etc/shadow\""));
  EXPECT_TRUE(refused("\xEF\xBB\xBF#include \"/etc/shadow\""));      // byte order mark
  EXPECT_TRUE(refused("#include\"/etc/shadow\""));
  EXPECT_TRUE(refused("??=include \"/etc/shadow\""));                // with trigraphs
  EXPECT_TRUE(refused("#inc??/\nlude \"/etc/shadow\""));
  // a comment that spans lines, then #: a directive in one reading
  EXPECT_TRUE(refused("/* a\n b */ #include \"/etc/shadow\""));
  // a line comment continued by a splice hides the next line; not a plain one
  EXPECT_EQ(registered("// note \\\n#include \"/etc/shadow\"\n"), "");
  EXPECT_TRUE(refused("// note\n#include \"/etc/shadow\"\n"));
  // ??/ is a splice only with trigraphs: the line is checked in both readings
  EXPECT_TRUE(refused("// note ??/\n#include \"/etc/shadow\"\n"));
}

TEST(SourcePolicy, TextInStringsAndCommentsIsNotADirective) {
  EXPECT_EQ(registered("char *s = \"#include </etc/x>\";\n"), "");
  EXPECT_EQ(registered("char *s = \"\\\n#include </etc/x>\";\n"), "");  // spliced string
  EXPECT_EQ(registered("/*\n#include \"/etc/shadow\"\n*/\n"), "");
  EXPECT_EQ(registered("// #include \"/etc/shadow\"\n"), "");
  EXPECT_EQ(registered("char c = '\"'; /* x */\nint y;\n"), "");
  EXPECT_EQ(registered("int a = 1; #include \"/etc/shadow\"\n"), "");  // not at a line start
  EXPECT_EQ(registered("#define S(x) #x\n"), "");
  // an unterminated literal ends at the line's end: the next line is code
  EXPECT_TRUE(refused("char c = 'x;\n#include \"/etc/shadow\"\n"));
  EXPECT_TRUE(refused("char *s = \"abc;\n#include \"/etc/shadow\"\n"));
  // an escaped quote does not end a string
  EXPECT_EQ(registered("char *s = \"a\\\" #include </etc/x>\";\n"), "");
  // the end of a comment, then a directive on the same line
  EXPECT_TRUE(refused("/*\n*/#include \"/etc/shadow\"\n"));
}

TEST(SourcePolicy, ErrorAndWarningLinesMayNotOpenComments) {
  EXPECT_TRUE(refused("#warning hello /*\n#include \"/etc/shadow\"\n*/\n"));
  EXPECT_TRUE(refused("#error x /* y */\n"));
  EXPECT_EQ(registered("#warning don't \"worry\"\n#define X 1\n"), "");
}

TEST(SourcePolicy, DirectiveNamesWithUniversalCharactersAreRefused) {
  EXPECT_TRUE(refused("#\\u0069nclude \"/etc/shadow\""));
  EXPECT_TRUE(refused("#incl\\u0075de \"/etc/shadow\""));
}

TEST(SourcePolicy, RegisteredProgramsDeclareNoSharedTables) {
  EXPECT_NE(registered("BPF_TABLE_PINNED(\"hash\", u32, u64, t, 1, \"/sys/fs/bpf/x\");")
                .find("line 1: BPF_TABLE_PINNED: a registered program may not declare pinned"),
            std::string::npos);
  EXPECT_TRUE(refused("BPF_TABLE_PUBLIC(\"hash\", u32, u64, t, 1);"));
  EXPECT_TRUE(refused("BPF_TABLE_SHARED(\"hash\", u32, u64, t, 1);"));
  EXPECT_TRUE(refused("BPF_HASH_PINNED(t, u32, u64);"));
  EXPECT_TRUE(refused("BPF_ARRAY_PUBLIC(t, u64, 1);"));
  EXPECT_TRUE(refused("#define T BPF_TABLE_SHARED\n"));
  EXPECT_TRUE(refused("BPF_TABLE(\"extern\", u32, u64, t, 1);"));
  EXPECT_TRUE(refused("BPF_TABLE(\"ext\" \"ern\", u32, u64, t, 1);"));   // joined
  EXPECT_TRUE(refused("BPF_TABLE(\"ext\" /* c */\n \"ern\", u32, u64, t, 1);"));
  EXPECT_TRUE(refused("BPF_TABLE(\"hash:/sys/fs/bpf/x\", u32, u64, t, 1);"));
  EXPECT_TRUE(refused("BPF_TABLE(\"hash\" \":/sys/fs/bpf/x\", u32, u64, t, 1);"));
  EXPECT_TRUE(refused("BPF_TABLE(\"lru_hash:x\", u32, u64, t, 1);"));
  EXPECT_TRUE(refused("struct t x __attribute__((section(\"maps/hash\")));"));
  EXPECT_TRUE(refused("#define X \"maps/export\"\n"));
  EXPECT_NE(registered("int x;\n\nBPF_TABLE(\"extern\", u32, u64, t, 1);").find("line 3:"),
            std::string::npos);
  // the same words in comments, in other strings, or in custom programs
  EXPECT_EQ(registered("// BPF_TABLE_PINNED(\"extern\")\nint x;\n"), "");
  EXPECT_EQ(registered("char *s = \"BPF_TABLE_SHARED\";\n"), "");
  EXPECT_EQ(registered("bpf_trace_printk(\"pid:%d comm:%s\\n\");\n"), "");
  EXPECT_EQ(registered("int IS_SHARED = 1; int BPF_X = 2;\n"), "");
  EXPECT_EQ(custom("BPF_TABLE_PINNED(\"hash\", u32, u64, t, 1, \"/sys/fs/bpf/x\");"), "");
}

TEST(SourcePolicy, LineDirectivesRenumber) {
  // the agent's prelude, then the user's text from line 1
  std::string text =
      "#include <uapi/linux/ptrace.h>\n#define PRELUDE 1\n#line 1\n"
      "int a;\n#include \"/etc/shadow\"\n";
  EXPECT_EQ(registered(text).compare(0, 8, "line 2: "), 0) << registered(text);
  EXPECT_EQ(registered("# 10 \"x.c\"\nint a;\n#include \"y\"\n").compare(0, 9, "line 11: "), 0);
  EXPECT_EQ(registered("#include <uapi/linux/ptrace.h>\n#line 1\n#define X 1\nint a;\n"), "");
}

TEST(SourcePolicy, CustomProgramsIncludeTrustedFilesFromTheirFolder) {
  char dir_template[] = "/tmp/source-policy-XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  std::string dir = dir_template;
  chmod(dir.c_str(), 0755);
  std::ofstream(dir + "/common.h") << "#define X 1\n";
  mkdir((dir + "/sub").c_str(), 0755);
  std::ofstream(dir + "/sub/more.h") << "\n";
  chmod((dir + "/common.h").c_str(), 0644);
  chmod((dir + "/sub/more.h").c_str(), 0644);

  EXPECT_EQ(custom("#include \"common.h\"\n#include \"sub/more.h\"\n", dir), "");
  EXPECT_NE(custom("#include \"missing.h\"", dir).find("no such file"), std::string::npos);
  EXPECT_NE(custom("#include \"sub\"", dir).find("no such file"), std::string::npos);  // a folder
  EXPECT_NE(custom("#include \"/etc/passwd\"", dir), "");
  EXPECT_NE(custom("#include \"../etc/passwd\"", dir), "");
  EXPECT_NE(custom("#include \"sub/../common.h\"", dir), "");
  EXPECT_NE(custom("#include \"common.h\"", ""), "");  // no folder: no "file" includes
  EXPECT_EQ(custom("#include <linux/sched.h>", dir), "");
  EXPECT_NE(custom("#include </etc/passwd>", dir), "");
  if (geteuid() == 0) {
    // as root, files others could write are refused, like bcc.conf
    chmod((dir + "/common.h").c_str(), 0666);
    EXPECT_NE(custom("#include \"common.h\"", dir).find("writable"), std::string::npos);
    chown((dir + "/sub/more.h").c_str(), 1000, 1000);
    EXPECT_NE(custom("#include \"sub/more.h\"", dir).find("owned by uid 1000"), std::string::npos);
  }
  std::string rm = "rm -rf " + dir;
  EXPECT_EQ(system(rm.c_str()), 0);
}

TEST(SourcePolicy, HostileTextIsHandled) {
  std::string controls;
  for (int c = 0; c < 32; c++) controls += static_cast<char>(c);
  EXPECT_EQ(registered(controls + "int x;\n"), "");
  // control characters in a refused directive are not echoed raw
  std::string p = registered("#include \"\x1b[31mred\x07\"");
  EXPECT_EQ(p.find('\x1b'), std::string::npos);
  EXPECT_EQ(p.find('\x07'), std::string::npos);
  // a very long line: refused fast, and the message stays short
  std::string long_line = "#include \"" + std::string(5 * 1024 * 1024, 'a') + "\"";
  p = registered(long_line);
  EXPECT_FALSE(p.empty());
  EXPECT_LT(p.size(), 400u);
  EXPECT_EQ(registered("int x = 1;" + std::string(5 * 1024 * 1024, ' ') + "\n"), "");
  // unterminated comments and literals at the end of the text
  EXPECT_EQ(registered("/* open"), "");
  EXPECT_EQ(registered("char *s = \"open"), "");
  EXPECT_EQ(registered("#"), "");
  EXPECT_EQ(registered("%:"), "");
  EXPECT_EQ(registered("\\"), "");
  EXPECT_EQ(registered("??"), "");
  EXPECT_EQ(registered(""), "");
  // invalid UTF-8
  EXPECT_EQ(registered("int \xff\xfe x;\n\xc3"), "");
  EXPECT_TRUE(refused("\xff\n#include \"/etc/shadow\""));
}

}  // namespace
