// A second (third...) machine on this one: a pmcd with only the bcc agent,
// in network and UTS namespaces of its own (its own hostname, its own
// loopback and port 44321), started and stopped by the test. Monitoring
// tools in the test's namespace reach it through its pmcd's unix socket,
// as they would reach a remote pmcd over TCP: nothing leaves the machine.
#pragma once

#include <string>

#include "support/background.h"

namespace bcc::test {

class AgentHost {
 public:
  // `hostname` names the host; its files go to `dir` (created).
  AgentHost(std::string hostname, std::string dir);
  ~AgentHost() { stop(); }

  // Starts pmcd with the installed pmdabcc reading `bcc_conf`; waits until
  // the agent serves its metrics. "" or what went wrong (with the logs).
  std::string start(const std::string& bcc_conf);
  void stop();

  const std::string& hostname() const { return hostname_; }
  // A PCP host specification for this host's pmcd: "unix:/.../pmcd.socket".
  std::string hostspec() const;

 private:
  std::string hostname_, dir_;
  Background pmcd_;
};

}  // namespace bcc::test
