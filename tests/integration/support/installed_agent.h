// The agent installed into the real pmcd with a bcc.conf of the test's own;
// the configuration that was there before is put back afterwards.
#pragma once

#include <string>

namespace bcc::test {

// Why integration tests cannot run here ("" when they can): not root, no
// pmcd, no BPF. Tests skip with this reason.
std::string integration_unavailable();

class InstalledAgent {
 public:
  InstalledAgent();
  ~InstalledAgent();  // restores the previous bcc.conf and reinstalls

  // Writes `conf` as bcc.conf, runs ./Install and waits until the agent is
  // ready (or has exited); false when it did not become ready.
  bool install(const std::string& conf);
  // Runs ./Remove; its output.
  std::string remove();
  // The agent's log, $PCP_LOG_DIR/pmcd/bcc.log.
  std::string log() const;
  std::string pmda_dir() const { return dir_; }
  int pid() const;  // of the running pmdabcc, 0 if none

 private:
  std::string dir_;
  std::string saved_conf_;
  bool had_conf_ = false;
};

// Names of the BPF programs loaded in the kernel that carry our function
// names (tracepoint__..., kprobe__...), from bpftool.
std::string loaded_programs();

}  // namespace bcc::test
