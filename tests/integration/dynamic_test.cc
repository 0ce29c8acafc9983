// Programs registered while the agent runs: pmstore bcc.control.register
// compiles and attaches a BCC program, its bcc.custom.<name>.* metrics
// appear in the namespace (seen by a client whose context stays open),
// bcc.control.deregister removes them and frees the kernel objects; pmproxy's
// HTTP clients read them but may not register (they are all user pcp).
// Refusals: a user who may not store, an
// agent where registration is off, a program that does not compile (its
// error shown in bcc.info.programs). Unnamed programs nobody reads expire.
#include <gtest/gtest.h>
#include <pcp/pmapi.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "support/agent_suite.h"
#include "support/registered_programs.h"
#include "support/http_client.h"
#include "support/pcp_tools.h"
#include "support/series_stack.h"

namespace bcc::test {
namespace {

using nlohmann::json;

// getppid() calls per process: the test makes them itself.
std::string counting_program(const std::string& name_annotation) {
  return name_annotation +
         "// export: calls counter count key=u32:number\n"
         "// help: getppid() calls per process id\n"
         "BPF_HASH(calls, u32, u64);\n"
         "TRACEPOINT_PROBE(syscalls, sys_enter_getppid) {\n"
         "  u32 pid = bpf_get_current_pid_tgid() >> 32;\n"
         "  calls.increment(pid);\n"
         "  return 0;\n"
         "}\n";
}

void call_getppid(int times) {
  for (int i = 0; i < times; i++) syscall(SYS_getppid);
}

std::string me() { return std::to_string(getpid()); }

// pmstore of a string whose text is in a file (newlines and quotes intact).
std::string pmstore(const std::string& metric, const std::string& value, int& status,
                    const std::string& user = "root") {
  std::string file = "/tmp/pmdabcc-dynamic-value." + me();
  std::ofstream(file) << value;
  run("chmod 644 " + file);
  std::string as = user == "root" ? "" : "runuser -u " + user + " -- ";
  std::string out =
      run(as + "pmstore -h local: " + metric + " \"$(cat " + file + ")\" 2>&1", &status);
  unlink(file.c_str());
  return out;
}

// A client context kept open across the namespace change.
class OpenContext {
 public:
  OpenContext() : handle_(pmNewContext(PM_CONTEXT_HOST, "local:")) {}
  ~OpenContext() {
    if (handle_ >= 0) pmDestroyContext(handle_);
  }
  int handle() const { return handle_; }
  // pmLookupName's status for one name in this context.
  int lookup(const std::string& name) {
    pmUseContext(handle_);
    const char* n = name.c_str();
    pmID id;
    return pmLookupName(1, &n, &id);
  }
  // pmFetch's status for a metric that always exists (its flags bits carry
  // pmcd's state changes).
  int fetch_status() {
    pmUseContext(handle_);
    const char* n = "bcc.pmda.module.state";
    pmID id;
    if (pmLookupName(1, &n, &id) < 0) return -1;
    pmResult* r = nullptr;
    int sts = pmFetch(1, &id, &r);
    if (r) pmFreeResult(r);
    return sts;
  }

 private:
  int handle_;
};

std::string conf(const std::string& pmda_extra) {
  return "[pmda]\nmodules = runqlat\n" + pmda_extra + "\n[runqlat]\nmodule = runqlat\ncluster = 4\n";
}

class Dynamic : public AgentSuite {
 protected:
  static void SetUpTestSuite() {
    // pmproxy runs as the pcp user, which may store but not register;
    // expiry short enough to watch
    install_for_suite(conf("allow_dynamic = True\nallowed_users = pcp\nexpiry = 4"));
  }

  json programs() { return registered_programs(pcp_); }
  json program(const std::string& name) { return registered_program(pcp_, name); }
  json settled(const std::string& name) { return settled_program(pcp_, name); }
  bool exists_within(const std::string& metric, bool wanted, int seconds = 10) {
    for (int i = 0; i < seconds * 10; i++) {
      if (pcp_.exists(metric) == wanted) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }
};

TEST_F(Dynamic, RegisterFetchDeregisterThroughPmstore) {
  KernelObjects before = kernel_objects();
  int status = 0;
  std::string out = pmstore("bcc.control.register", counting_program("// name: getppid_calls\n"),
                            status);
  ASSERT_EQ(status, 0) << out << agent_->log();
  json p = settled("getppid_calls");
  ASSERT_EQ(p["state"], "active") << p << agent_->log();
  EXPECT_EQ(p["error"], "");
  EXPECT_EQ(p["metrics"], json::array({"bcc.custom.getppid_calls.calls"}));
  EXPECT_EQ(p["expires"], false);

  ASSERT_TRUE(exists_within("bcc.custom.getppid_calls.calls", true));
  call_getppid(50);
  EXPECT_GE(value("bcc.custom.getppid_calls.calls", me()), 50u);
  call_getppid(30);
  EXPECT_GE(value("bcc.custom.getppid_calls.calls", me()), 80u);
  MetricInfo info = pcp_.describe("bcc.custom.getppid_calls.calls");
  EXPECT_EQ(info.semantics, PM_SEM_COUNTER);
  EXPECT_EQ(info.oneline, "getppid() calls per process id");
  // what it costs is counted like any module's
  EXPECT_EQ(pcp_.numbers("bcc.pmda.map.capacity").count("getppid_calls::calls"), 1u);

  out = pmstore("bcc.control.deregister", "getppid_calls", status);
  EXPECT_EQ(status, 0) << out;
  EXPECT_TRUE(exists_within("bcc.custom.getppid_calls.calls", false));
  EXPECT_TRUE(program("getppid_calls").is_null()) << programs();
  EXPECT_NE(agent_->log().find("program [getppid_calls]: deregistered; its probes are detached"),
            std::string::npos);
  // the kernel frees the program and its map shortly after
  KernelObjects after = kernel_objects();
  for (int i = 0; i < 50 && !(after == before); i++) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    after = kernel_objects();
  }
  EXPECT_EQ(after.programs, before.programs);
  EXPECT_EQ(after.maps, before.maps);
  EXPECT_EQ(after.links, before.links);

  out = pmstore("bcc.control.deregister", "getppid_calls", status);
  EXPECT_NE(status, 0) << out;
  EXPECT_NE(out.find("Bad input to pmstore"), std::string::npos) << out;
}

TEST_F(Dynamic, OpenClientSeesTheNamespaceChange) {
  OpenContext client;
  ASSERT_GE(client.handle(), 0);
  const std::string metric = "bcc.custom.watched.calls";
  EXPECT_EQ(client.lookup(metric), PM_ERR_NAME);
  EXPECT_GE(client.fetch_status(), 0);

  int status = 0;
  std::string out = pmstore("bcc.control.register", counting_program("// name: watched\n"), status);
  ASSERT_EQ(status, 0) << out << agent_->log();
  ASSERT_EQ(settled("watched")["state"], "active") << programs();

  // the same context, never reconnected: told the names changed, and the new name resolves
  int flags = client.fetch_status();
  ASSERT_GE(flags, 0);
  EXPECT_TRUE(flags & PMCD_NAMES_CHANGE) << flags;
  EXPECT_EQ(client.lookup(metric), 1);

  out = pmstore("bcc.control.deregister", "watched", status);
  ASSERT_EQ(status, 0) << out;
  flags = client.fetch_status();
  EXPECT_TRUE(flags & PMCD_NAMES_CHANGE) << flags;
  EXPECT_EQ(client.lookup(metric), PM_ERR_NAME);
}

// pmproxy gives every HTTP client its own user, pcp: they read a program's
// metrics, but registering is root and pcp may not, even in allowed_users.
TEST_F(Dynamic, ThroughPmproxyReadButNotRegister) {
  int status = 0;
  std::string out = pmstore("bcc.control.register", counting_program("// name: web\n"), status);
  ASSERT_EQ(status, 0) << out << agent_->log();
  ASSERT_EQ(settled("web")["state"], "active") << programs();

  TempDir dir("dynamic-pmproxy");
  SeriesStack stack(dir.path());
  ASSERT_EQ(stack.start(), "");
  HttpResponse c = http_get(stack.url("/pmapi/context?hostspec=local:&polltimeout=60"));
  ASSERT_EQ(c.status, 200) << c.body;
  std::string ctx = std::to_string(json::parse(c.body).value("context", 0LL));
  auto store = [&](const std::string& metric, const std::string& value) {
    return http_get(stack.url("/pmapi/store?context=" + ctx + "&name=" + metric +
                              "&value=" + url_encode(value)));
  };

  HttpResponse r = store("bcc.control.register", counting_program("// name: web2\n"));
  EXPECT_NE(r.body.find("\"success\":false"), std::string::npos) << r.status << r.body;
  EXPECT_TRUE(program("web2").is_null()) << programs();
  EXPECT_NE(agent_->log().find("pmstore bcc.control.register refused: user id " +
                               run("id -u pcp | tr -d '\\n'") + " may not register programs"),
            std::string::npos)
      << agent_->log();
  r = store("bcc.control.deregister", "web");
  EXPECT_NE(r.body.find("\"success\":false"), std::string::npos) << r.status << r.body;
  EXPECT_EQ(program("web")["state"], "active") << programs();

  call_getppid(40);
  HttpResponse f = http_get(stack.url("/pmapi/fetch?context=" + ctx +
                                      "&names=bcc.custom.web.calls"));
  ASSERT_EQ(f.status, 200) << f.body;
  json values = json::parse(f.body)["values"];
  ASSERT_EQ(values.size(), 1u) << f.body;
  HttpResponse indom = http_get(stack.url("/pmapi/indom?context=" + ctx +
                                          "&name=bcc.custom.web.calls"));
  ASSERT_EQ(indom.status, 200) << indom.body;
  json instances = json::parse(indom.body)["instances"];
  uint64_t mine = 0;
  for (const json& inst : instances)
    if (inst["name"] == me())
      for (const json& i : values[0]["instances"])
        if (i["instance"] == inst["instance"]) mine = i["value"];
  EXPECT_GE(mine, 40u) << "pid " << me() << ": " << f.body << indom.body;

  out = pmstore("bcc.control.deregister", "web", status);
  ASSERT_EQ(status, 0) << out;
  EXPECT_TRUE(exists_within("bcc.custom.web.calls", false));
}

TEST_F(Dynamic, UserNotAllowedIsRefused) {
  int status = 0;
  run("id nobody >/dev/null 2>&1", &status);
  if (status != 0) GTEST_SKIP() << "no user 'nobody' to store as";
  std::string out = pmstore("bcc.control.register", counting_program("// name: intruder\n"),
                            status, "nobody");
  EXPECT_NE(status, 0) << out;
  EXPECT_NE(out.find("No permission"), std::string::npos) << out;
  EXPECT_TRUE(program("intruder").is_null()) << programs();
  EXPECT_FALSE(pcp_.exists("bcc.custom.intruder.calls"));
  EXPECT_NE(agent_->log().find("pmstore refused: user id 65534 is neither root nor in [pmda] "
                               "allowed_users"),
            std::string::npos);
}

TEST_F(Dynamic, CompileErrorIsShown) {
  std::string text =
      "// name: broken\n"
      "// export: calls counter count\n"
      "BPF_HASH(calls, u32, u64);\n"
      "TRACEPOINT_PROBE(syscalls, sys_enter_getppid) {\n"
      "  u32 pid = 1 + ;\n"
      "  calls.increment(pid);\n"
      "  return 0;\n"
      "}\n";
  int status = 0;
  std::string out = pmstore("bcc.control.register", text, status);
  json p = settled("broken");
  ASSERT_EQ(p["state"], "failed") << p;
  std::string error = p["error"];
  EXPECT_NE(error.find("expected expression"), std::string::npos) << error;
  EXPECT_NE(error.find(":5:"), std::string::npos) << "no line number: " << error;
  EXPECT_FALSE(pcp_.exists("bcc.custom.broken.calls"));
  // the store was answered before the compiler ran: it succeeded, and the
  // failure is told in bcc.info.programs and the log
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(agent_->log().find("program [broken]: failed"), std::string::npos) << out;
  EXPECT_NE(agent_->log().find("expected expression"), std::string::npos);

  // a fixed version replaces the failed one
  out = pmstore("bcc.control.register", counting_program("// name: broken\n"), status);
  EXPECT_EQ(settled("broken")["state"], "active") << programs();
  pmstore("bcc.control.deregister", "broken", status);
  EXPECT_EQ(status, 0);
}

TEST_F(Dynamic, BadNamesAndAnnotationsAreRefused) {
  int status = 0;
  std::string out = pmstore("bcc.control.register", counting_program("// name: Bad.Name\n"), status);
  EXPECT_NE(status, 0);
  EXPECT_NE(out.find("Bad input to pmstore"), std::string::npos) << out;
  out = pmstore("bcc.control.register", counting_program("// name: runqlat\n"), status);
  EXPECT_NE(status, 0);
  EXPECT_NE(agent_->log().find("the name 'runqlat' is a section of bcc.conf"), std::string::npos);
  out = pmstore("bcc.control.register",
                "// name: badexport\n// export: calls sideways\nBPF_HASH(calls, u32, u64);\n",
                status);
  EXPECT_NE(status, 0);
  json p = program("badexport");
  ASSERT_FALSE(p.is_null()) << programs();
  EXPECT_EQ(p["state"], "failed");
  EXPECT_NE(p["error"].get<std::string>().find("sideways"), std::string::npos) << p;
}

TEST_F(Dynamic, UnnamedProgramNobodyFetchesExpires) {
  int status = 0;
  std::string out = pmstore("bcc.control.register", counting_program(""), status);
  ASSERT_EQ(status, 0) << out << agent_->log();
  std::string name;
  for (const json& p : programs())
    if (p["expires"] == true && p["state"] != "failed") name = p["name"];
  ASSERT_FALSE(name.empty()) << programs();
  EXPECT_EQ(name.rfind("prog", 0), 0u) << name;
  std::string metric = "bcc.custom." + name + ".calls";
  EXPECT_EQ(settled(name)["state"], "active");
  ASSERT_TRUE(pcp_.exists(metric));  // a name lookup is not a fetch of its values
  // [pmda] expiry = 4: gone a few seconds later, with nothing left behind
  EXPECT_TRUE(exists_within(metric, false, 30)) << programs();
  EXPECT_TRUE(program(name).is_null()) << programs();
  EXPECT_NE(agent_->log().find("program [" + name + "]: expired: nothing fetched its metrics"),
            std::string::npos);
}

class DynamicOff : public AgentSuite {
 protected:
  static void SetUpTestSuite() { install_for_suite(conf("")); }
};

TEST_F(DynamicOff, RegistrationIsRefused) {
  int status = 0;
  std::string out = pmstore("bcc.control.register", counting_program("// name: off\n"), status);
  EXPECT_NE(status, 0) << out;
  EXPECT_NE(out.find("No permission"), std::string::npos) << out;
  EXPECT_NE(agent_->log().find("registering programs at run time is off; set [pmda] "
                               "allow_dynamic = True"),
            std::string::npos)
      << agent_->log();
  EXPECT_EQ(pcp_.strings("bcc.info.programs")[""], "[]");
  EXPECT_FALSE(pcp_.exists("bcc.custom.off.calls"));
}

}  // namespace
}  // namespace bcc::test
