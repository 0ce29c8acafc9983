// pmstore changes what the agent does (profile start/stop), so only root and
// the users [pmda] allowed_users names may store; registering a program is
// root, for root and [pmda] register_users only. pmcd passes the client's
// credentials (PMDA_FLAG_AUTHORIZE) on local connections.
#include <grp.h>
#include <gtest/gtest.h>
#include <pcp/pmapi.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "support/installed_agent.h"
#include "support/pcp_client.h"

namespace bcc::test {
namespace {

std::string conf(const std::string& allowed) {
  return "[pmda]\nmodules = profile\n" + allowed +
         "\n[profile]\nmodule = profile\ncluster = 14\n";
}

std::string store_as(const std::string& user, const std::string& value, int& status,
                     const std::string& metric = "bcc.proc.profile") {
  std::string file = "/tmp/pmdabcc-store-access-value." + std::to_string(getpid());
  std::ofstream(file) << value;
  run("chmod 644 " + file);
  std::string as = user == "root" ? "" : "runuser -u " + user + " -- ";
  std::string out = run(as + "pmstore -h local: " + metric + " \"$(cat " + file + ")\" 2>&1",
                        &status);
  unlink(file.c_str());
  return out;
}

const char kProgram[] =
    "// name: by_register_user\n"
    "// export: calls counter count key=u32:number\n"
    "BPF_HASH(calls, u32, u64);\n"
    "TRACEPOINT_PROBE(syscalls, sys_enter_getppid) {\n"
    "  u32 pid = bpf_get_current_pid_tgid() >> 32;\n"
    "  calls.increment(pid);\n"
    "  return 0;\n"
    "}\n";

// pmStore of a string, in the current context.
int store_string(const char* metric, const std::string& text) {
  pmID pmid;
  int sts = pmLookupName(1, &metric, &pmid);
  if (sts < 0) return sts;
  std::vector<char> block(PM_VAL_HDR_SIZE + text.size() + 1);
  auto* vb = reinterpret_cast<pmValueBlock*>(block.data());
  vb->vtype = PM_TYPE_STRING;
  vb->vlen = static_cast<unsigned>(block.size());
  memcpy(vb->vbuf, text.c_str(), text.size() + 1);
  pmValueSet vs{};
  vs.pmid = pmid;
  vs.numval = 1;
  vs.valfmt = PM_VAL_DPTR;
  vs.vlist[0].inst = PM_IN_NULL;
  vs.vlist[0].value.pval = vb;
  pmResult result{};
  result.numpmid = 1;
  result.vset[0] = &vs;
  return pmStore(&result);
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

// allowed_users may store (profile start/stop) but not register a program:
// that is root, for root and register_users only.
TEST_F(StoreAccessTest, OnlyRegisterUsersMayRegister) {
  ASSERT_TRUE(agent_.install(conf("allow_dynamic = True\nallowed_users = nobody\n"
                                  "register_users = daemon")))
      << agent_.log();
  int status = 0;
  std::string out = store_as("nobody", kProgram, status, "bcc.control.register");
  EXPECT_NE(status, 0) << out;
  EXPECT_NE(out.find("No permission"), std::string::npos) << out;
  EXPECT_NE(agent_.log().find("pmstore bcc.control.register refused: user id 65534 may not "
                              "register programs: registering is root"),
            std::string::npos)
      << agent_.log();
  out = store_as("nobody", "start", status);  // still may store
  EXPECT_EQ(status, 0) << out;
  store_as("nobody", "stop", status);

  out = store_as("daemon", kProgram, status, "bcc.control.register");
  EXPECT_EQ(status, 0) << out << agent_.log();
  EXPECT_NE(pcp_.strings("bcc.info.programs")[""].find("by_register_user"), std::string::npos);
  out = store_as("nobody", "by_register_user", status, "bcc.control.deregister");
  EXPECT_NE(status, 0) << out;
  out = store_as("daemon", "by_register_user", status, "bcc.control.deregister");
  EXPECT_EQ(status, 0) << out << agent_.log();
}

// pmcd sends an agent the credentials of the clients connected when it
// starts, but no end-of-context for those that leave before it is ready,
// and gives their slots to the next clients; clients connecting while it is
// not ready never get theirs sent. None of them may inherit root's uid.
TEST_F(StoreAccessTest, CredentialsFromBeforeReadyAreForgotten) {
  // profile and runqlat: a few seconds of compiling, the window below
  ASSERT_TRUE(agent_.install("[pmda]\nmodules = profile,runqlat\n[profile]\nmodule = profile\n"
                             "cluster = 14\n[runqlat]\nmodule = runqlat\ncluster = 4\n"))
      << agent_.log();

  // the clients opened during the window: a process of nobody's, forked
  // before the root context exists so that it holds no copy of its socket
  int go[2], back[2];
  ASSERT_EQ(pipe(go), 0);
  ASSERT_EQ(pipe(back), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // only the parent's ends: a parent that gives up leaves it end of file
    close(go[1]);
    close(back[0]);
    char c;
    if (read(go[0], &c, 1) != 1) _exit(2);
    if (setgroups(0, nullptr) != 0 || setgid(65534) != 0 || setuid(65534) != 0) _exit(3);
    std::vector<int> contexts;
    for (int i = 0; i < 12; i++) {
      int ctx = pmNewContext(PM_CONTEXT_HOST, "local:");
      if (ctx >= 0) contexts.push_back(ctx);
    }
    std::string opened = std::to_string(contexts.size()) + "\n";
    if (write(back[1], opened.data(), opened.size()) < 0) _exit(4);
    if (read(go[0], &c, 1) != 1) _exit(2);  // the agent is ready
    std::string report;
    for (int ctx : contexts) {
      pmUseContext(ctx);
      int sts = store_string("bcc.proc.profile", "start");
      report += std::to_string(sts) + (sts == 0 ? " STORED\n" : " " + std::string(pmErrStr(sts)) + "\n");
    }
    if (write(back[1], report.data(), report.size()) < 0) _exit(4);
    _exit(0);
  }
  close(go[0]);
  close(back[1]);
  auto reply = [&] {
    std::string text;
    char buf[4096];
    ssize_t n;
    while ((n = read(back[0], buf, sizeof(buf))) > 0) {
      text.append(buf, static_cast<size_t>(n));
      if (text.back() == '\n' && text.find("\n") == text.size() - 1) break;
    }
    return text;
  };

  int root = pmNewContext(PM_CONTEXT_HOST, "local:");
  ASSERT_GE(root, 0) << pmErrStr(root);
  int old_pid = agent_.pid();
  ASSERT_GT(old_pid, 0);
  kill(old_pid, SIGTERM);
  // pmcd restarts an exited agent on SIGHUP once it has noticed the exit,
  // which it does only when it next writes to the agent (the agent is
  // pmdaroot's child, not pmcd's: no SIGCHLD): a fetch of one of its
  // metrics, from a client of its own that is gone at once
  int new_pid = 0;
  for (int i = 0; i < 60 && (new_pid == 0 || new_pid == old_pid); i++) {
    run("pminfo -f bcc.pmda.module.state >/dev/null 2>&1; pmsignal -a -s HUP pmcd >/dev/null 2>&1");
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    new_pid = agent_.pid();
  }
  ASSERT_TRUE(new_pid != 0 && new_pid != old_pid) << "pmcd did not restart the agent";
  // any answer from pmcd (one thread) means it has sent the new agent the
  // credentials of its clients, root's among them
  pmUseContext(root);
  const char* name = "pmcd.numclients";
  pmID pmid;
  ASSERT_GE(pmLookupName(1, &name, &pmid), 0);
  pmDestroyContext(root);
  ASSERT_EQ(write(go[1], "o", 1), 1);
  std::string opened = reply();
  bool in_window = agent_.log().find("ready after") == std::string::npos;

  ASSERT_TRUE(agent_.restart_exited()) << agent_.log();
  ASSERT_EQ(write(go[1], "s", 1), 1);
  std::string report;
  char buf[4096];
  ssize_t n;
  while ((n = read(back[0], buf, sizeof(buf))) > 0) report.append(buf, static_cast<size_t>(n));
  int status = 0;
  waitpid(child, &status, 0);
  close(go[1]);
  close(back[0]);
  ASSERT_TRUE(in_window) << "the contexts were opened after the agent was ready; " << agent_.log();
  EXPECT_EQ(opened, "12\n");
  // every store refused: by the agent, which knows no user for those
  // contexts, or (pmcd 6.0.3) by pmcd itself, which answers "Try again" for
  // contexts opened while the agent was not ready and never forwards them
  EXPECT_EQ(report.find("STORED"), std::string::npos) << report << agent_.log();
  std::istringstream lines(report);
  int refused = 0;
  for (std::string line; std::getline(lines, line);) {
    bool by_agent = line.find("No permission") != std::string::npos;
    bool by_pmcd = line.find("Try again") != std::string::npos;
    EXPECT_TRUE(by_agent || by_pmcd) << line;
    refused++;
  }
  EXPECT_EQ(refused, 12) << report;
  EXPECT_NE(pcp_.strings("bcc.proc.profile")[""].find("\"status\": \"stopped\""),
            std::string::npos);
  if (report.find("No permission") != std::string::npos)
    EXPECT_NE(agent_.log().find("pmstore refused: the client's user is unknown"),
              std::string::npos)
        << agent_.log();
}

// Any local user may try to store as often as they like: the refusals are
// logged five a minute, not one line each.
TEST_F(StoreAccessTest, RefusedStoresDoNotFloodTheLog) {
  ASSERT_TRUE(agent_.install(conf(""))) << agent_.log();
  int status = 0;
  for (int i = 0; i < 20; i++) {
    std::string out = store_as("nobody", "start", status);
    ASSERT_NE(status, 0) << out;
  }
  std::string log = agent_.log();
  size_t lines = 0;
  for (size_t at = 0; (at = log.find("pmstore refused:", at)) != std::string::npos; at++) lines++;
  EXPECT_EQ(lines, 5u) << log;
}

}  // namespace
}  // namespace bcc::test
