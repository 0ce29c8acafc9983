#include "support/installed_agent.h"

#include <pcp/pmapi.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "support/kernel_headers_aside.h"
#include "support/pcp_client.h"

namespace bcc::test {

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
}

// what write_agent_file put into the agent's folder, removed with the suite
std::vector<std::string>& written_agent_files() {
  static std::vector<std::string> files;
  return files;
}

}  // namespace

std::string integration_unavailable() {
  if (geteuid() != 0) return "needs root (BPF and pmcd)";
  if (access("/sys/kernel/btf/vmlinux", R_OK) != 0) return "kernel has no BTF";
  // pmcd not running or the agent not installed is not a reason to skip:
  // the test command sets both up, so the tests fail and say so
  return "";
}

InstalledAgent::InstalledAgent() : dir_(std::string(pmGetConfig("PCP_PMDAS_DIR")) + "/bcc") {
  // kernel headers a killed btf_headers_test left aside: this test runs as
  // the machine is set up
  put_back_kernel_headers();
  had_conf_ = access((dir_ + "/bcc.conf").c_str(), R_OK) == 0;
  if (had_conf_) saved_conf_ = read_file(dir_ + "/bcc.conf");
  files_at_start_ = files_under(dir_);
}

InstalledAgent::~InstalledAgent() {
  for (const std::string& path : written_agent_files()) unlink(path.c_str());
  written_agent_files().clear();
  if (!had_conf_) return;
  write_file(dir_ + "/bcc.conf", saved_conf_);
  run("cd " + dir_ + " && PMDABCC_ARGS= ./Install -Q >/dev/null 2>&1");
}

namespace {

// notready until every module is compiled and attached; `nudge` is run
// every few seconds while waiting. Up to 2 minutes: compiled from the
// kernel's BTF (kernel_headers = auto without the running kernel's headers)
// every module of the shipped bcc.conf takes ~40 s on 2 busy CPUs.
bool wait_ready(const InstalledAgent& agent, const char* nudge = nullptr) {
  for (int i = 0; i < 240; i++) {
    if (nudge && i % 4 == 0) run(nudge);
    int st = 0;
    std::string state = run("pminfo -f bcc.pmda.module.state 2>&1", &st);
    if (state.find("value \"") != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  fprintf(stderr, "agent not ready; its log:\n%s\n", agent.log().c_str());
  return false;
}

}  // namespace

bool InstalledAgent::install(const std::string& conf, const std::string& args) {
  // pmcd's process, not an answer from it: right after an agent exits pmcd
  // may be busy restarting it
  int running = 0;
  run("pgrep -x pmcd >/dev/null", &running);
  if (running != 0) {
    fprintf(stderr, "pmcd is not running (scripts/prepare-machine.sh starts it)\n");
    return false;
  }
  if (access((dir_ + "/pmdabcc").c_str(), X_OK) != 0) {
    fprintf(stderr, "pmdabcc is not installed in %s (cmake --install build)\n", dir_.c_str());
    return false;
  }
  write_file(dir_ + "/bcc.conf", conf);
  int status = 0;
  std::string out =
      run("cd " + dir_ + " && PMDABCC_ARGS='" + args + "' ./Install -Q 2>&1", &status);
  if (status != 0) {
    fprintf(stderr, "./Install failed:\n%s\n", out.c_str());
    return false;
  }
  return wait_ready(*this);
}

bool InstalledAgent::restart_exited() {
  // pmcd restarts exited agents on SIGHUP, once it has noticed the exit: ask
  // again until it has
  return wait_ready(*this, "pmsignal -a -s HUP pmcd >/dev/null 2>&1");
}

KernelObjects kernel_objects() {
  auto count = [](const char* what) {
    return std::stoi(run(std::string("bpftool ") + what + " show 2>/dev/null | grep -c '^[0-9]' || true"));
  };
  return {count("prog"), count("map"), count("link")};
}

KernelObjects settled_kernel_objects() {
  KernelObjects last = kernel_objects();
  for (int i = 0; i < 10; i++) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    KernelObjects now = kernel_objects();
    if (now == last) return now;
    last = now;
  }
  return last;
}

int open_fds(int pid) {
  return std::stoi(run("ls /proc/" + std::to_string(pid) + "/fd 2>/dev/null | wc -l"));
}

std::string InstalledAgent::remove() { return run("cd " + dir_ + " && ./Remove 2>&1"); }

std::string InstalledAgent::log() const {
  return read_file(std::string(pmGetConfig("PCP_LOG_DIR")) + "/pmcd/bcc.log");
}

int InstalledAgent::pid() const {
  // the one pmcd started (itself, or through pmdaroot when that runs): other
  // pmdabcc processes (--check runs) may exist
  std::string out =
      run("pgrep -x -P \"$(pgrep -d, -x 'pmcd|pmdaroot')\" pmdabcc | head -1");
  return out.empty() ? 0 : std::stoi(out);
}

std::string loaded_programs() {
  return run(
      "bpftool prog show 2>/dev/null | grep -oE 'name (tracepoint__|raw_tracepoint__|kprobe__|"
      "kretprobe__|hit_|uprobe|usdt|perf_event|call_entry|call_return|cmethod_|count_[0-9])"
      "[^ ]*' || true");
}

}  // namespace bcc::test

namespace bcc::test {

void write_agent_file(const std::string& name, const std::string& text) {
  std::string path = std::string(pmGetConfig("PCP_PMDAS_DIR")) + "/bcc/" + name;
  write_file(path, text);
  written_agent_files().push_back(path);
}

std::set<std::string> files_under(const std::string& dir) {
  namespace fs = std::filesystem;
  std::set<std::string> out;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (!it->is_directory(ec)) out.insert(fs::relative(it->path(), dir, ec).string());
  return out;
}

}  // namespace bcc::test

namespace bcc::test {

std::string programs_after_release() {
  std::string programs;
  for (int i = 0; i < 50 && !(programs = loaded_programs()).empty(); i++)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  return programs;
}

}  // namespace bcc::test
