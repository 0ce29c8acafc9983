// netproc: TCP and UDP send and receive calls and bytes per process.
#include <cstddef>
#include <map>
#include <memory>

#include "bpf/tables.h"
#include "module/exited_processes.h"
#include "module/metrics.h"
#include "module/options.h"
#include "module/process_instances.h"
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

ModuleSpec netproc() {
  // the instance name is fixed when a process is first seen, as the Python agent did
  auto names = std::make_shared<std::map<uint32_t, std::string>>();
  KeyDecoder pid_name = key_fields({{0, 4, {"u32", "pid"}}});
  KeyDecoder namer = [names, pid_name](const std::string& key) {
    uint32_t pid = field<uint32_t>(key, 0);
    auto it = names->find(pid);
    if (it == names->end()) it = names->emplace(pid, pid_name(key)).first;
    return it->second;
  };
  ModuleSpec spec("netproc");
  auto exited = keep_exited_processes(spec, {{"netstats", pid_in_key()}});
  spec.summary("TCP and UDP calls and bytes per process")
      .program("netproc.bpf")
      .option({"remove_stopped_processes", OptionKind::flag, "True",
               "forget processes once they have exited (after 'exited_grace' seconds)"})
      .probe("send", {tracepoint("sock:sock_send_length")})
      .probe("recv", {tracepoint("sock:sock_recv_length")})
      .instance_ids_from_names()
      .on_configure([exited](const ModuleOptions& options) {
        exited->set_enabled(options.flag("remove_stopped_processes"));
      })
      // after the exited processes were collected (declared before this)
      .on_fetch([names, exited](Maps&) {
        // forget the names of pids gone from the map (retired, or evicted),
        // and of a pid given to a new process while the old one was kept
        std::map<uint32_t, std::string> kept;
        for (int pid : exited->known_pids()) {
          if (exited->reused_pids().count(pid)) continue;
          auto it = names->find(static_cast<uint32_t>(pid));
          if (it != names->end()) kept.insert(*it);
        }
        names->swap(kept);
      })
      .instances_help("processes that sent or received on TCP or UDP sockets, named like "
                      "PCP's proc agent (\"001379 /usr/sbin/sshd\"; just the pid for a "
                      "process that exited before it was first seen); the instance id is the "
                      "pid. A process that has exited keeps its final totals for "
                      "'exited_grace' seconds (5 minutes by default)");
  for (const Counter& c : kCounters)
    spec.metric(hash_field_counter(std::string("proc.net.") + c.name, "netstats", c.offset,
                                   c.bytes ? byte_units() : count_units(), namer, c.oneline,
                                   c.help, exited));
  return spec;
}

const bool registered = register_module("netproc", netproc);

}  // namespace
