#include "support/agent_host.h"

#include "support/pcp_client.h"
#include "support/pcp_tools.h"
#include "support/wait.h"

namespace bcc::test {

AgentHost::AgentHost(std::string hostname, std::string dir)
    : hostname_(std::move(hostname)), dir_(std::move(dir)) {}

std::string AgentHost::hostspec() const { return "unix:" + dir_ + "/pmcd.socket"; }

std::string AgentHost::start(const std::string& bcc_conf) {
  run("mkdir -p " + dir_ + "/var/config/pmda && chmod -R 755 " + dir_);
  write_text(dir_ + "/bcc.conf", bcc_conf);
  // pmcd's own metrics (pmcd.hostname names the host in archives) and the
  // bcc agent, nothing else
  std::string pmdas = pcp_conf("PCP_PMDAS_DIR");
  write_text(dir_ + "/pmcd.conf",
             "pmcd\t2\tdso\tpmcd_init\t" + pmdas + "/pmcd/pmda_pmcd.so\n"
             "bcc\t149\tpipe\tbinary notready\t" + pmdas + "/bcc/pmdabcc -d 149 -c " + dir_ +
             "/bcc.conf -l " + dir_ + "/bcc.log\n");
  std::string pmns = read_text(pcp_conf("PCP_VAR_DIR") + "/pmns/root_pmcd");
  size_t root = pmns.find("root {");
  size_t end = root == std::string::npos ? root : pmns.find('}', root);
  if (end == std::string::npos) return "no root { } in PCP's root_pmcd namespace file";
  pmns.insert(end, "\tbcc\t149:*:*\n");
  write_text(dir_ + "/root", pmns);
  // The namespaces last as long as pmcd: unshare execs the shell, which
  // execs pmcd, so stopping that pid ends the host. The mounts are shared,
  // so the agent finds tracefs and BTF where it always does.
  std::string script = "ip link set lo up && hostname " + hostname_ + " && exec " +
                       pcp_conf("PCP_BINADM_DIR") + "/pmcd -f -A -c " + dir_ + "/pmcd.conf -n " +
                       dir_ + "/root -s " + dir_ + "/pmcd.socket -l " + dir_ + "/pmcd.log";
  // PCP_RUN_DIR: pmcd's pid file; PCP_VAR_DIR: the agent's saved instance
  // domains, apart from the main pmcd's agent.
  if (!pmcd_.start({"unshare", "--net", "--uts", "sh", "-c", script}, dir_ + "/pmcd.out",
                   {"PCP_RUN_DIR=" + dir_, "PCP_VAR_DIR=" + dir_ + "/var"}))
    return pmcd_.error();
  std::string probe = "pminfo -h " + hostspec() + " -f bcc.pmda.module.state 2>&1";
  if (wait_until([&] { return run(probe).find("value \"") != std::string::npos; }, 90))
    return "";
  return hostname_ + ": the agent did not become ready\npmcd.log:\n" +
         read_text(dir_ + "/pmcd.log") + "\nbcc.log:\n" + read_text(dir_ + "/bcc.log") +
         "\npmcd.out:\n" + read_text(dir_ + "/pmcd.out");
}

void AgentHost::stop() { pmcd_.stop(10000); }

}  // namespace bcc::test
