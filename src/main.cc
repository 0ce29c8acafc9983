// pmdabcc: a PCP agent that turns BCC programs into metrics.
//
// Started by pmcd as "pipe binary notready": it connects, compiles and
// attaches every module (which can take seconds), then tells pmcd it is
// ready and serves requests until pmcd closes the pipe or sends SIGTERM.

#include <pcp/pmapi.h>
#include <pcp/pmda.h>
#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "agent.h"
#include "config/agent_config.h"
#include "module/describe.h"
#include "module/registry.h"
#include "pmda/dispatch.h"

namespace {

constexpr int kDomain = 149;

pmLongOptions long_options[] = {
    PMDA_OPTIONS_HEADER("Options"),
    PMOPT_DEBUG,
    PMDAOPT_DOMAIN,
    PMDAOPT_LOGFILE,
    PMDAOPT_USERNAME,
    {"config", 1, 'c', "FILE", "configuration file [default $PCP_PMDAS_DIR/bcc/bcc.conf]"},
    {"modules", 1, 'm', "DIR", "folder of the modules' .bpf programs [default $PCP_PMDAS_DIR/bcc/modules]"},
    {"check", 0, 'C', nullptr, "load the configuration, compile and attach every module, "
                               "report each one's state and exit (non-zero if any failed)"},
    {"list-modules", 0, 'L', nullptr, "print the module types this agent has, one a line, and exit"},
    {"describe", 1, 'Z', "TYPE", "print what module TYPE measures, its options (as bcc.conf's "
                                 "comments give them) and its metrics, and exit"},
    PMOPT_HELP,
    PMDA_OPTIONS_END,
};

pmdaOptions options = {};

// --describe TYPE
int describe_module(const std::string& type) {
  const bcc::ModuleFactory* factory = bcc::Registry::builtin().find(type);
  if (!factory) {
    bool known = false;
    for (const std::string& t : bcc::Registry::builtin().types()) known = known || t == type;
    fprintf(stderr, known ? "%s: its metrics come from the program its section names; see "
                            "pmdabcc(1)\n"
                          : "%s: no such module type (pmdabcc --list-modules lists them)\n",
            type.c_str());
    return 1;
  }
  printf("%s", bcc::describe_module((*factory)(), "bcc.").c_str());
  return 0;
}

// --check: what an operator runs after editing bcc.conf, without pmcd.
int check_configuration(bcc::Agent& agent) {
  bool ok = agent.start() && agent.all_running();
  for (const auto& line : agent.summary()) printf("%s\n", line.c_str());
  agent.shutdown();
  return ok ? 0 : 1;
}

// SIGTERM, SIGINT and SIGHUP are taken by a thread of their own (blocked in
// every other thread): it waits for any request in progress, detaches every
// probe, and exits. When the agent ends for another reason (pmcd closed the
// pipe) the thread is stopped and joined before anything is destroyed.
class SignalThread {
 public:
  SignalThread(bcc::Agent& agent, const sigset_t& signals)
      : signal_fd_(signalfd(-1, &signals, SFD_CLOEXEC)), stop_fd_(eventfd(0, EFD_CLOEXEC)) {
    thread_ = std::thread([this, &agent] { run(agent); });
  }
  ~SignalThread() {
    uint64_t one = 1;
    if (write(stop_fd_, &one, sizeof(one)) != sizeof(one))
      pmNotifyErr(LOG_ERR, "cannot stop the signal thread: %s", strerror(errno));
    thread_.join();
    close(signal_fd_);
    close(stop_fd_);
  }

 private:
  void run(bcc::Agent& agent) {
    pollfd fds[2] = {{signal_fd_, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
    while (true) {
      if (poll(fds, 2, -1) < 0) {
        if (errno == EINTR) continue;
        return;
      }
      if (fds[1].revents) return;
      signalfd_siginfo info;
      if (read(signal_fd_, &info, sizeof(info)) != sizeof(info)) continue;
      int sig = static_cast<int>(info.ssi_signo);
      if (sig == SIGHUP) {
        pmNotifyErr(LOG_INFO, "SIGHUP ignored: restart the agent to reread bcc.conf");
        continue;
      }
      pmNotifyErr(LOG_INFO, "caught %s: detaching and exiting", strsignal(sig));
      std::lock_guard<std::recursive_mutex> hold(agent.lock());
      agent.shutdown();
      _exit(0);
    }
  }

  int signal_fd_;
  int stop_fd_;
  std::thread thread_;
};

}  // namespace

int main(int argc, char** argv) {
  auto started = std::chrono::steady_clock::now();
  pmSetProgname(argv[0]);
  // user stacks are named from the files on this machine: elfutils must
  // never fetch debug information from a server
  unsetenv("DEBUGINFOD_URLS");
  std::string pmdas = pmGetConfig("PCP_PMDAS_DIR");
  bcc::AgentPaths paths{pmdas + "/bcc/bcc.conf", pmdas + "/bcc/modules"};

  pmdaInterface dispatch = {};
  pmdaDaemon(&dispatch, PMDA_INTERFACE_7, pmGetProgname(), kDomain, const_cast<char*>("bcc.log"),
             nullptr);
  options.short_options = "D:d:l:U:c:m:CLZ:?";
  bool check_only = false;
  options.long_options = long_options;
  bool list_modules = false;
  std::string describe;
  int c;
  while ((c = pmdaGetOptions(argc, argv, &options, &dispatch)) != EOF) {
    if (c == 'c') paths.config_file = options.optarg;
    // absolute: the loader, which compiles the programs and resolves their
    // includes in this folder, does not run in the agent's directory
    else if (c == 'm') paths.modules_dir = std::filesystem::absolute(options.optarg).string();
    else if (c == 'C') check_only = true;
    else if (c == 'L') list_modules = true;
    else if (c == 'Z') describe = options.optarg;
    else options.errors++;
  }
  if (options.errors) {
    pmdaUsageMessage(&options);
    return 1;
  }
  if (list_modules) {
    for (const std::string& type : bcc::Registry::builtin().types()) printf("%s\n", type.c_str());
    return 0;
  }
  if (!describe.empty()) return describe_module(describe);
  if (!check_only) pmdaOpenLog(&dispatch);  // --check reports on stderr
  signal(SIGPIPE, SIG_IGN);
  sigset_t signals;
  sigemptyset(&signals);
  for (int s : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&signals, s);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // every thread inherits this

  bcc::Agent agent(paths);
  try {
    agent.configure(dispatch.version.any.ext->e_domain);
  } catch (const std::exception& e) {
    pmNotifyErr(LOG_ERR, "%s", e.what());
    pmNotifyErr(LOG_ERR, "configuration error: not starting");
    return 1;
  }
  if (check_only) return check_configuration(agent);
  auto signal_thread = std::make_unique<SignalThread>(agent, signals);
  bcc::install_callbacks(dispatch, agent);
  pmdaConnect(&dispatch);

  {
    std::lock_guard<std::recursive_mutex> hold(agent.lock());
    if (!agent.start()) {
      agent.shutdown();
      return 1;
    }
  }
  agent.start_process_refresh();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!bcc::discard_early_credentials(dispatch, agent)) {
    std::lock_guard<std::recursive_mutex> hold(agent.lock());
    agent.shutdown();
    pmNotifyErr(LOG_INFO, "pmcd closed the connection before the agent was ready: exiting");
    return 0;
  }
  pmNotifyErr(LOG_INFO, "ready after %.2fs", seconds);
  pmdaSendError(&dispatch, PM_ERR_PMDAREADY);
  if (options.username) pmSetProcessIdentity(options.username);

  pmdaMain(&dispatch);
  signal_thread.reset();
  {
    std::lock_guard<std::recursive_mutex> hold(agent.lock());
    agent.shutdown();
  }
  pmNotifyErr(LOG_INFO, "pmcd closed the connection: exiting");
  return 0;
}
