// netproc: TCP and UDP send and receive calls and bytes per process.
#include <cstddef>
#include <map>
#include <memory>

#include "bpf/tables.h"
#include "module/process_counters.h"
#include "module/registry.h"
#include "netproc.h"

namespace {

using namespace bcc;

// a counter of struct netproc_stats, where it is and what it counts
struct Counter {
  const char* name;
  size_t offset;
  bool bytes;
  const char* oneline;
  const char* help;
};

const Counter kCounters[] = {
    {"tcp.send.calls", offsetof(netproc_stats, tcp_send_calls), false,
     "number of TCP send calls (tcp_sendmsg())",
     "Successful send calls on TCP sockets (IPv4 and IPv6) by the process."},
    {"tcp.send.bytes", offsetof(netproc_stats, tcp_send_bytes), true,
     "amount of bytes requested to be sent",
     "Bytes the process's successful send calls on TCP sockets passed to the kernel."},
    {"tcp.recv.calls", offsetof(netproc_stats, tcp_recv_calls), false,
     "number of TCP recv calls (tcp_recvmsg()/tcp_cleanup_rbuf())",
     "Receive calls on TCP sockets that returned data (peeks excluded)."},
    {"tcp.recv.bytes", offsetof(netproc_stats, tcp_recv_bytes), true,
     "amount of bytes received",
     "Bytes the process received from TCP sockets."},
    {"udp.send.calls", offsetof(netproc_stats, udp_send_calls), false,
     "number of UDP send calls (udp_sendmsg())",
     "Successful send calls on UDP sockets (IPv4 and IPv6) by the process."},
    {"udp.send.bytes", offsetof(netproc_stats, udp_send_bytes), true,
     "amount of bytes requested to be sent",
     "Bytes the process's successful send calls on UDP sockets passed to the kernel."},
    {"udp.recv.calls", offsetof(netproc_stats, udp_recv_calls), false,
     "number of UDP recv calls (udp_recvmsg()/skb_consume_udp())",
     "Receive calls on UDP sockets that returned data (peeks excluded)."},
    {"udp.recv.bytes", offsetof(netproc_stats, udp_recv_bytes), true,
     "amount of bytes received",
     "Bytes the process received from UDP sockets."},
};

// Names a process as PCP's proc agent does, once: the name is fixed when
// the process is first seen and kept while its entries are (as the Python
// agent did).
class CountersByProcess : public ProcessCounters {
 public:
  CountersByProcess() { table("netstats", pid_in_key(), key_fields({{0, 4, {"u32", "pid"}}})); }

  void collect(Maps& maps, Collection& out) override {
    collect_exited(maps);
    forget_gone_processes();
    fill(maps, out);
  }

 protected:
  std::string instance(const std::string& table, const std::string& key) override {
    uint32_t pid = field<uint32_t>(key, 0);
    auto it = names_.find(pid);
    if (it == names_.end()) it = names_.emplace(pid, ProcessCounters::instance(table, key)).first;
    return it->second;
  }

 private:
  // the names of pids gone from the map (retired, or evicted), and of a pid
  // given to a new process while the old one was kept
  void forget_gone_processes() {
    std::map<uint32_t, std::string> kept;
    for (int pid : exited().known_pids()) {
      if (exited().reused_pids().count(pid)) continue;
      auto it = names_.find(static_cast<uint32_t>(pid));
      if (it != names_.end()) kept.insert(*it);
    }
    names_.swap(kept);
  }

  std::map<uint32_t, std::string> names_;  // pid -> instance name
};

ModuleSpec netproc() {
  auto counters = std::make_shared<CountersByProcess>();
  ModuleSpec spec("netproc");
  spec.option(exited_grace_option())
      .summary("TCP and UDP calls and bytes per process")
      .program("netproc.bpf")
      .option({kRemoveStoppedOption, OptionKind::flag, "True",
               "forget processes once they have exited (after 'exited_grace' seconds)"})
      .probe("send", {tracepoint("sock:sock_send_length")})
      .probe("recv", {tracepoint("sock:sock_recv_length")})
      .instance_ids_from_names()
      .collector(counters)
      .instances_help("processes that sent or received on TCP or UDP sockets, named like "
                      "PCP's proc agent (\"001379 /usr/sbin/sshd\"; just the pid for a "
                      "process that exited before it was first seen); the instance id is the "
                      "pid. A process that has exited keeps its final totals for "
                      "'exited_grace' seconds (5 minutes by default)");
  for (const Counter& c : kCounters)
    spec.metric(counters->field_counter(
        make_metric(std::string("proc.net.") + c.name, PM_TYPE_U64, PM_SEM_COUNTER,
                    c.bytes ? byte_units() : count_units(), c.oneline, c.help),
        "netstats", c.offset));
  return spec;
}

const bool registered = register_module("netproc", netproc);

}  // namespace
