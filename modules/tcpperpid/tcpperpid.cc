// tcpperpid: TCP bytes sent and received per process.
#include <cstddef>
#include <memory>

#include "bpf/tables.h"
#include "module/exited_processes.h"
#include "module/metrics.h"
#include "module/process_instances.h"
#include "module/registry.h"
#include "module/socket_fields.h"
#include "tcpperpid.h"

namespace {

using namespace bcc;

std::string pid_instance(const std::string& key) {
  return padded_pid(static_cast<int>(field<uint32_t>(key, 0)));
}

ModuleSpec tcpperpid() {
  ModuleSpec spec("tcpperpid");
  auto exited = keep_exited_processes(spec, {{"traffic", pid_in_key()}});
  spec.summary("TCP bytes sent and received per process")
      .program("tcpperpid.bpf")
      .process_filter()
      .port_filter("dport", "DPORT_ALLOWED", "only traffic of sockets with these remote ports")
      .port_filter("lport", "LPORT_ALLOWED", "only traffic of sockets with these local ports")
      .probe("send", {tracepoint("sock:sock_send_length")})
      .probe("recv", {tracepoint("sock:sock_recv_length")})
      .metric(hash_field_counter(
          "proc.io.net.total.tx", "traffic", offsetof(tcpperpid_traffic, tx), byte_units(),
          pid_instance, "tcp tx per pid",
          "Bytes the process sent on TCP sockets (IPv4 and IPv6). Instances are pids as six "
          "digits (\"000441\"); a process that has exited keeps its final totals for "
          "'exited_grace' seconds (5 minutes by default), then is removed.",
          exited))
      .metric(hash_field_counter(
          "proc.io.net.total.rx", "traffic", offsetof(tcpperpid_traffic, rx), byte_units(),
          pid_instance, "tcp rx per pid",
          "Bytes the process received from TCP sockets (IPv4 and IPv6). Instances are pids as "
          "six digits (\"000441\"); a process that has exited keeps its final totals for "
          "'exited_grace' seconds (5 minutes by default), then is removed.",
          exited))
      .instances_help("processes with TCP traffic, by pid as six digits (\"000441\")");
  socket_fields(spec);
  return spec;
}

const bool registered = register_module("tcpperpid", tcpperpid);

}  // namespace
