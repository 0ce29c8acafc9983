// tcpperpid: TCP bytes sent and received per process.
#include <cstddef>
#include <memory>

#include "bpf/tables.h"
#include "module/process_counters.h"
#include "module/process_instances.h"
#include "module/registry.h"
#include "module/socket_fields.h"
#include "tcpperpid.h"

namespace {

using namespace bcc;

std::string pid_instance(const std::string& key) {
  return padded_pid(static_cast<int>(field<uint32_t>(key, 0)));
}

// A field of struct tcpperpid_traffic as a metric; `what`: the first sentence of its help.
MetricSpec bytes(ProcessCounters& counters, const char* name, size_t offset, const char* oneline,
                 const std::string& what) {
  return counters.field_counter(
      make_metric(name, PM_TYPE_U64, PM_SEM_COUNTER, byte_units(), oneline,
                  what +
                      " Instances are pids as six digits (\"000441\"); a process that has "
                      "exited keeps its final totals for 'exited_grace' seconds (5 minutes by "
                      "default), then is removed."),
      "traffic", offset);
}

ModuleSpec tcpperpid() {
  auto counters = std::make_shared<ProcessCounters>();
  counters->table("traffic", pid_in_key(), pid_instance);
  ModuleSpec spec("tcpperpid");
  spec.option(exited_grace_option())
      .summary("TCP bytes sent and received per process")
      .program("tcpperpid.bpf")
      .process_filter()
      .port_filter("dport", "DPORT_ALLOWED", "only traffic of sockets with these remote ports")
      .port_filter("lport", "LPORT_ALLOWED", "only traffic of sockets with these local ports")
      .probe("send", {tracepoint("sock:sock_send_length")})
      .probe("recv", {tracepoint("sock:sock_recv_length")})
      .metric(bytes(*counters, "proc.io.net.total.tx", offsetof(tcpperpid_traffic, tx),
                    "tcp tx per pid", "Bytes the process sent on TCP sockets (IPv4 and IPv6)."))
      .metric(bytes(*counters, "proc.io.net.total.rx", offsetof(tcpperpid_traffic, rx),
                    "tcp rx per pid",
                    "Bytes the process received from TCP sockets (IPv4 and IPv6)."))
      .collector(counters)
      .instances_help("processes with TCP traffic, by pid as six digits (\"000441\")");
  socket_fields(spec);
  return spec;
}

const bool registered = register_module("tcpperpid", tcpperpid);

}  // namespace
