// exitsnoop, oomkill and bashreadline in the real pmcd: processes this test
// makes exit with a code, die of a signal, run out of memory in a small
// cgroup of the test's own and type a line into an interactive bash on a
// pseudo-terminal; each shows up in its module's table, found by pid, with
// the values the kernel gave. exitsnoop's failed, threads and cgroup
// filters keep and drop what they should.
#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "support/agent_suite.h"
#include "support/memory_cgroup.h"
#include "support/wait.h"

namespace bcc::test {
namespace {

using Row = std::map<std::string, std::string>;  // metric leaf -> value as text

// A child process named `name` that runs `body`, which returns its exit code.
template <typename Body>
int spawn(const char* name, Body body) {
  pid_t pid = fork();
  if (pid == 0) {
    prctl(PR_SET_NAME, name);
    _exit(body());
  }
  return pid;
}

int reap(int pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

// The cgroup v2 hierarchy's root here: /sys/fs/cgroup, or
// /sys/fs/cgroup/unified on a hybrid system; "" when there is none.
std::string cgroup2_root() {
  for (const char* p : {"/sys/fs/cgroup", "/sys/fs/cgroup/unified"}) {
    struct statfs fs;
    if (statfs(p, &fs) == 0 && fs.f_type == 0x63677270) return p;
  }
  return "";
}

bool write_text(const std::string& path, const std::string& text) {
  int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  close(fd);
  return ok;
}

class ProcessEvents : public AgentSuite {
 protected:
  static void SetUpTestSuite() {
    // exitsnoop_cgroup watches a cgroup v2 folder of this suite's own
    std::string root = cgroup2_root();
    if (!root.empty()) {
      std::string folder = root + "/pmdabcc-exitsnoop-" + std::to_string(getpid());
      if (mkdir(folder.c_str(), 0755) == 0) exit_cgroup_ = new std::string(folder);
    }
    // large tables: every process of the machine that exits takes a row
    std::string conf =
        "[pmda]\nmodules = exitsnoop,exitsnoop_failed,exitsnoop_threads," +
        std::string(exit_cgroup_ ? "exitsnoop_cgroup," : "") +
        "oomkill,bashreadline\nmodule_failure_fatal = False\n\n"
        "[exitsnoop]\nmodule = exitsnoop\ncluster = 61\nprocess_count = 1000\n\n"
        "[exitsnoop_failed]\nmodule = exitsnoop\ncluster = 161\nprefix = bcc.failed.\n"
        "failed = True\nprocess_count = 1000\n\n"
        "[exitsnoop_threads]\nmodule = exitsnoop\ncluster = 162\nprefix = bcc.threads.\n"
        "threads = True\nprocess_count = 1000\n\n" +
        (exit_cgroup_ ? "[exitsnoop_cgroup]\nmodule = exitsnoop\ncluster = 163\n"
                        "prefix = bcc.cgroup.\ncgroup = " +
                            *exit_cgroup_ + "\n\n"
                      : std::string()) +
        "[oomkill]\nmodule = oomkill\ncluster = 60\n\n"
        "[bashreadline]\nmodule = bashreadline\ncluster = 70\nprocess_count = 100\n";
    install_for_suite(conf);
  }
  static void TearDownTestSuite() {
    remove_for_suite();
    if (exit_cgroup_) {
      for (int i = 0; i < 50 && rmdir(exit_cgroup_->c_str()) != 0 && errno == EBUSY; i++)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      delete exit_cgroup_;
      exit_cgroup_ = nullptr;
    }
  }

  // The row of `prefix`+`module`'s table whose `key` column is `value`, read
  // in one fetch (the table moves as events arrive); empty when none.
  Row row_where(const std::string& prefix, const std::string& module,
                const std::vector<std::string>& leaves, const std::string& key,
                const std::string& value) {
    std::vector<std::string> metrics;
    for (const std::string& leaf : leaves) metrics.push_back(prefix + module + "." + leaf);
    for (auto& [inst, by_metric] : pcp_.rows(metrics)) {
      if (by_metric[prefix + module + "." + key] != value) continue;
      Row row;
      for (const std::string& leaf : leaves) row[leaf] = by_metric[prefix + module + "." + leaf];
      return row;
    }
    return {};
  }
  Row exit_of(int pid, const std::string& prefix = "bcc.", const std::string& key = "pid") {
    return row_where(prefix, "exitsnoop",
                     {"pid", "tid", "ppid", "sig", "exit_code", "comm", "coredump", "age"}, key,
                     std::to_string(pid));
  }
  // Waits for the exit of `pid` in the unfiltered table.
  Row wait_for_exit(int pid) {
    Row row;
    wait_until([&] { return !(row = exit_of(pid)).empty(); });
    return row;
  }

  static inline std::string* exit_cgroup_ = nullptr;
};

TEST_F(ProcessEvents, ExitCodeOfAProcessThatExited) {
  int child = spawn("exit_seven", [] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    return 7;
  });
  int how = reap(child);
  ASSERT_TRUE(WIFEXITED(how) && WEXITSTATUS(how) == 7) << how;
  Row row = wait_for_exit(child);
  ASSERT_FALSE(row.empty()) << "no exit of pid " << child << " in bcc.exitsnoop; "
                            << status("exitsnoop");
  EXPECT_EQ(row["exit_code"], "7");
  EXPECT_EQ(row["sig"], "0");
  EXPECT_EQ(row["coredump"], "0");
  EXPECT_EQ(row["tid"], std::to_string(child));
  EXPECT_EQ(row["ppid"], std::to_string(getpid()));
  EXPECT_EQ(row["comm"], "exit_seven");
  double age = std::stod(row["age"]);  // ns
  EXPECT_GE(age, 0.2e9) << "it slept 200 ms";
  EXPECT_LT(age, 60e9);
}

TEST_F(ProcessEvents, SignalThatKilledAProcess) {
  int child = spawn("killed_by_term", [] {
    pause();
    return 0;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  kill(child, SIGTERM);
  int how = reap(child);
  ASSERT_TRUE(WIFSIGNALED(how) && WTERMSIG(how) == SIGTERM) << how;
  Row row = wait_for_exit(child);
  ASSERT_FALSE(row.empty()) << "no exit of pid " << child << " in bcc.exitsnoop";
  EXPECT_EQ(row["sig"], std::to_string(SIGTERM));
  EXPECT_EQ(row["exit_code"], "0");
  EXPECT_EQ(row["coredump"], "0");
  EXPECT_EQ(row["comm"], "killed_by_term");
  double age = std::stod(row["age"]);
  EXPECT_GE(age, 0.1e9);
  EXPECT_LT(age, 60e9);
}

TEST_F(ProcessEvents, FailedKeepsOnlyFailures) {
  int ok = spawn("exit_zero", [] { return 0; });
  int failed = spawn("exit_three", [] { return 3; });
  reap(ok);
  reap(failed);
  // both in the unfiltered table: by then the filtered one has had its chance
  ASSERT_FALSE(wait_for_exit(ok).empty());
  ASSERT_FALSE(wait_for_exit(failed).empty());
  Row kept;
  ASSERT_TRUE(wait_until([&] { return !(kept = exit_of(failed, "bcc.failed.")).empty(); }))
      << status("exitsnoop_failed");
  EXPECT_EQ(kept["exit_code"], "3");
  EXPECT_TRUE(exit_of(ok, "bcc.failed.").empty()) << "an exit with code 0 was kept";
  // every row a failure: a code or a signal (one fetch: the table moves)
  const std::string code = "bcc.failed.exitsnoop.exit_code", sig = "bcc.failed.exitsnoop.sig";
  for (auto& [inst, row] : pcp_.rows({code, sig}))
    EXPECT_FALSE(row[code] == "0" && row[sig] == "0") << "instance " << inst;
}

TEST_F(ProcessEvents, ThreadsShowsThreadExits) {
  // A thread's exit, up to three threads: the kernel may skip a tracepoint's
  // program for one event (counted in bcc.pmda.prog.missed), which the
  // agent cannot help; every exit of ours missing is a failure.
  std::vector<int> tids;
  Row thread;
  for (int attempt = 0; attempt < 3 && thread.empty(); attempt++) {
    int tid = 0;
    std::thread([&] { tid = static_cast<int>(syscall(SYS_gettid)); }).join();
    ASSERT_NE(tid, 0);
    tids.push_back(tid);
    wait_until([&] { return !(thread = exit_of(tid, "bcc.threads.", "tid")).empty(); }, 4);
  }
  std::string missed;
  for (auto& [program, count] : pcp_.numbers("bcc.pmda.prog.missed"))
    if (program.rfind("exitsnoop_threads::", 0) == 0) missed += std::to_string(count);
  ASSERT_FALSE(thread.empty()) << "no exit of threads " << ::testing::PrintToString(tids)
                               << " in bcc.threads.exitsnoop; " << status("exitsnoop_threads")
                               << "; lost "
                               << pcp_.numbers("bcc.threads.exitsnoop.lost")[""]
                               << ", runs skipped by the kernel " << missed;
  EXPECT_EQ(thread["pid"], std::to_string(getpid()));
  // a process's exit is there too, and the default table has no thread
  int child = spawn("exit_one", [] { return 1; });
  reap(child);
  ASSERT_FALSE(wait_for_exit(child).empty());
  EXPECT_TRUE(wait_until([&] { return !exit_of(child, "bcc.threads.").empty(); }));
  EXPECT_TRUE(exit_of(tids.back(), "bcc.", "tid").empty())
      << "a thread's exit in the default table";
}

TEST_F(ProcessEvents, CgroupKeepsOnlyItsTasks) {
  if (!exit_cgroup_) GTEST_SKIP() << "no cgroup v2 hierarchy to make a folder in";
  ASSERT_EQ(pcp_.strings("bcc.pmda.module.state")["exitsnoop_cgroup"], "active")
      << status("exitsnoop_cgroup");
  std::string procs = *exit_cgroup_ + "/cgroup.procs";
  int inside = spawn("in_cgroup", [&] { return write_text(procs, "0") ? 5 : 99; });
  int outside = spawn("out_cgroup", [] { return 5; });
  int status_inside = reap(inside);
  reap(outside);
  ASSERT_EQ(WEXITSTATUS(status_inside), 5) << "could not enter " << *exit_cgroup_;
  ASSERT_FALSE(wait_for_exit(inside).empty());
  ASSERT_FALSE(wait_for_exit(outside).empty());
  Row kept;
  ASSERT_TRUE(wait_until([&] { return !(kept = exit_of(inside, "bcc.cgroup.")).empty(); }));
  EXPECT_EQ(kept["comm"], "in_cgroup");
  EXPECT_TRUE(exit_of(outside, "bcc.cgroup.").empty()) << "an exit outside the cgroup was kept";
}

TEST_F(ProcessEvents, OomKillerVictimInASmallCgroup) {
  MemoryCgroup cgroup("pmdabcc-oomkill-" + std::to_string(getpid()), 16 << 20);
  if (!cgroup.unavailable().empty()) GTEST_SKIP() << cgroup.unavailable();
  ASSERT_EQ(pcp_.strings("bcc.pmda.module.state")["oomkill"], "active") << status("oomkill");
  int victim = spawn("oom_victim", [&] {
    if (!cgroup.enter()) return 2;
    // at most 1 GiB, a MiB at a time, each page touched (mmap: no
    // allocator lock a thread of the parent may have held at the fork); the
    // OOM killer stops it at 16 MiB
    for (int i = 0; i < 1024; i++) {
      void* block = mmap(nullptr, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                         -1, 0);
      if (block == MAP_FAILED) return 4;
      memset(block, i + 1, 1 << 20);
    }
    return 3;
  });
  int how = reap(victim);
  ASSERT_TRUE(WIFSIGNALED(how) && WTERMSIG(how) == SIGKILL)
      << "the child was not OOM killed in " << cgroup.path() << ": wait status " << how;
  Row row;
  ASSERT_TRUE(wait_until([&] {
    row = row_where("bcc.", "oomkill", {"fpid", "fcomm", "tpid", "tcomm", "uid"}, "tpid",
                    std::to_string(victim));
    return !row.empty();
  })) << "no victim " << victim << " in bcc.oomkill.tpid";
  EXPECT_EQ(row["tcomm"], "oom_victim");
  // the victim's own allocation ran the OOM killer
  EXPECT_EQ(row["fpid"], std::to_string(victim));
  EXPECT_EQ(row["fcomm"], "oom_victim");
  EXPECT_EQ(row["uid"], std::to_string(getuid()));
  EXPECT_EQ(pcp_.numbers("bcc.oomkill.lost")[""], 0u);
}

// An interactive bash on a pseudo-terminal, its output drained.
class TerminalBash {
 public:
  TerminalBash() {
    master_ = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master_ < 0 || grantpt(master_) != 0 || unlockpt(master_) != 0) return;
    std::string terminal = ptsname(master_);
    pid_ = fork();
    if (pid_ == 0) {
      setsid();
      int t = open(terminal.c_str(), O_RDWR);
      if (t < 0) _exit(126);
      ioctl_controlling(t);
      dup2(t, 0);
      dup2(t, 1);
      dup2(t, 2);
      char* const argv[] = {const_cast<char*>("bash"), const_cast<char*>("--norc"),
                            const_cast<char*>("--noprofile"), const_cast<char*>("+o"),
                            const_cast<char*>("history"), const_cast<char*>("-i"), nullptr};
      char* const envp[] = {const_cast<char*>("PATH=/usr/bin:/bin"),
                            const_cast<char*>("TERM=dumb"),
                            const_cast<char*>("PS1=pmdabcc-ready> "),
                            const_cast<char*>("HOME=/nonexistent"), nullptr};
      execve("/bin/bash", argv, envp);
      _exit(127);
    }
  }
  ~TerminalBash() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      reap(pid_);
    }
    if (master_ >= 0) close(master_);
  }
  int pid() const { return pid_; }
  // Reads what bash writes until `text` appears (true) or `seconds` pass.
  bool wait_for_output(const std::string& text, double seconds = 10) {
    auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (output_.find(text) == std::string::npos) {
      if (std::chrono::steady_clock::now() > end) return false;
      fd_set ready;
      FD_ZERO(&ready);
      FD_SET(master_, &ready);
      timeval tick{0, 100000};
      if (select(master_ + 1, &ready, nullptr, nullptr, &tick) <= 0) continue;
      char buffer[512];
      ssize_t n = read(master_, buffer, sizeof(buffer));
      if (n <= 0) return false;
      output_.append(buffer, n);
    }
    return true;
  }
  bool type(const std::string& keys) {
    return write(master_, keys.data(), keys.size()) == static_cast<ssize_t>(keys.size());
  }
  const std::string& output() const { return output_; }

 private:
  static void ioctl_controlling(int fd) { ioctl(fd, TIOCSCTTY, 0); }
  int master_ = -1;
  int pid_ = -1;
  std::string output_;
};

TEST_F(ProcessEvents, LineTypedIntoBash) {
  ASSERT_EQ(pcp_.strings("bcc.pmda.module.state")["bashreadline"], "active")
      << status("bashreadline");
  TerminalBash bash;
  ASSERT_GT(bash.pid(), 0);
  ASSERT_TRUE(bash.wait_for_output("pmdabcc-ready> ")) << "no prompt: " << bash.output();
  // readline takes ^V then ^A as a literal ^A (alone, ^A moves the cursor)
  const std::string marker = "marker-" + std::to_string(bash.pid());
  const std::string line = ": " + marker + " two  spaces \x01 end";
  ASSERT_TRUE(bash.type(": " + marker + " two  spaces \x16\x01 end\n"));
  Row row;
  ASSERT_TRUE(wait_until([&] {
    row = row_where("bcc.", "bashreadline", {"comm", "pid"}, "pid", std::to_string(bash.pid()));
    return !row.empty();
  })) << "no line of bash " << bash.pid() << " in bcc.bashreadline";
  EXPECT_EQ(row["comm"], line);
  EXPECT_EQ(pcp_.strings("bcc.pmda.module.probes")["bashreadline"].rfind("readline=uretprobe", 0),
            0u)
      << pcp_.strings("bcc.pmda.module.probes")["bashreadline"];
}

TEST_F(ProcessEvents, StatusNamesTheProbes) {
  auto probes = pcp_.strings("bcc.pmda.module.probes");
  EXPECT_EQ(probes["exitsnoop"], "exit=tracepoint sched:sched_process_exit");
  EXPECT_EQ(probes["oomkill"], "victim=raw_tracepoint mark_victim");
  for (const char* m : {"exitsnoop", "exitsnoop_failed", "exitsnoop_threads", "oomkill",
                        "bashreadline"})
    EXPECT_EQ(pcp_.strings("bcc.pmda.module.state")[m], "active") << m << ": " << status(m);
}

}  // namespace
}  // namespace bcc::test
