// The agent installed into the real pmcd with a bcc.conf of the test's own;
// the configuration that was there before is put back afterwards.
#pragma once

#include <set>
#include <string>

namespace bcc::test {

// Why integration tests cannot run on this machine ("" when they can): not
// root, no BTF. Tests skip with this reason; a missing pmcd or agent install
// is a failure instead (the test command sets both up).
std::string integration_unavailable();

class InstalledAgent {
 public:
  InstalledAgent();
  ~InstalledAgent();  // restores the previous bcc.conf and reinstalls

  // Writes `conf` as bcc.conf, runs ./Install (with `args` as the agent's
  // extra options) and waits until the agent is ready; false when it did not
  // become ready.
  bool install(const std::string& conf, const std::string& args = "");
  // Asks pmcd to restart agents that exited, and waits until ours is ready.
  bool restart_exited();
  // Runs ./Remove; its output.
  std::string remove();
  // The agent's log, $PCP_LOG_DIR/pmcd/bcc.log.
  std::string log() const;
  std::string pmda_dir() const { return dir_; }
  // Every file under the agent's folder when this object was made, relative
  // to the folder: what a suite must leave behind.
  const std::set<std::string>& files_at_start() const { return files_at_start_; }
  int pid() const;  // of the running pmdabcc, 0 if none

 private:
  std::string dir_;
  std::string saved_conf_;
  bool had_conf_ = false;
  std::set<std::string> files_at_start_;
};

// Every file under `dir`, relative to it.
std::set<std::string> files_under(const std::string& dir);

// Counts of BPF programs, maps and links loaded in the whole kernel.
struct KernelObjects {
  int programs = 0, maps = 0, links = 0;
  bool operator==(const KernelObjects& o) const {
    return programs == o.programs && maps == o.maps && links == o.links;
  }
};
KernelObjects kernel_objects();
// kernel_objects() once it holds still for a second (up to 10): the kernel
// frees a closed program's objects a little later, not at once, and an
// agent replaced a moment ago may still be releasing its own.
KernelObjects settled_kernel_objects();
// Open file descriptors of a process.
int open_fds(int pid);

// Names of the BPF programs loaded in the kernel that carry our function
// names (tracepoint__..., kprobe__...), from bpftool.
std::string loaded_programs();
// loaded_programs() once the kernel has had up to 5 seconds to free a dead
// process's programs (it does so shortly after, not at once).
std::string programs_after_release();

}  // namespace bcc::test
