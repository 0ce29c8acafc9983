// tcplife: the most recent TCP sessions that closed, as BCC's tcplife tool
// reports them: process, both ends, bytes each way, lifespan.
#include <memory>
#include <string>
#include <vector>

#include "bpf/net_address.h"
#include "module/options.h"
#include "module/record_rows.h"
#include "module/registry.h"
#include "module/table_columns.h"
#include "tcplife.h"

static_assert(sizeof(tcplife_session) == 88, "tcplife_session: the record tcplife.bpf sends");

namespace {

using namespace bcc;

enum Column { pid, comm, laddr, lport, daddr, dport, tx, rx, duration };

// The metric of each column, in Column order.
const std::vector<std::string> kColumns = {
    "proc.io.net.tcp.pid",   "proc.io.net.tcp.comm", "proc.io.net.tcp.laddr",
    "proc.io.net.tcp.lport", "proc.io.net.tcp.daddr", "proc.io.net.tcp.dport",
    "proc.io.net.tcp.tx",    "proc.io.net.tcp.rx",   "proc.io.net.tcp.duration"};

// The sessions the program reports as they close, newest first.
class ClosedSessions : public RecordRows<tcplife_session> {
 public:
  ClosedSessions() : RecordRows("session_count", kColumns) {}

 protected:
  std::vector<Value> row_of(const tcplife_session& s) override {
    std::vector<Value> r(kColumns.size());
    r[pid] = uint64_t{s.pid};
    r[comm] = c_string(s.comm);
    r[laddr] = address_text(s.family, s.saddr);
    r[lport] = uint64_t{s.lport};
    r[daddr] = address_text(s.family, s.daddr);
    r[dport] = uint64_t{s.dport};
    r[tx] = uint64_t{s.tx_bytes};
    r[rx] = uint64_t{s.rx_bytes};
    r[duration] = uint64_t{s.span_us};
    return r;
  }
};

MetricSpec column(Column c, int type, pmUnits units, const char* oneline, std::string help) {
  return column_metric(kColumns[c], type, units, oneline,
                       help + " Instances \"0\" (the most recent session) to \"N-1\".");
}

ModuleSpec tcplife() {
  return ModuleSpec("tcplife")
      .summary("TCP sessions that closed, most recent first")
      .program("tcplife.bpf")
      .option(number_option("session_count", 20, "how many recent sessions to keep", 1, 100000))
      .option(number_option("buffer_page_count", 64,
                            "perf buffer pages per CPU, a power of two; raise it when "
                            "bcc.pmda.module.lost_events grows",
                            1, 1 << 20))
      .process_filter()
      .port_filter("dport", "DPORT_ALLOWED", "only sessions to these remote ports")
      .port_filter("lport", "LPORT_ALLOWED", "only sessions from these local ports")
      .btf_offset("TCP_BYTES_ACKED_OFFSET", "tcp_sock", "bytes_acked")
      .btf_offset("TCP_BYTES_RECEIVED_OFFSET", "tcp_sock", "bytes_received")
      .probe("state", {tracepoint("sock:inet_sock_set_state")})
      .events("sessions", "buffer_page_count")
      .collector(std::make_shared<ClosedSessions>())
      .metric(column(pid, PM_TYPE_U32, no_units(), "PID",
                     "Process that owned the session: the one that connected (client side) or "
                     "closed after the peer (server side), else the one on the CPU when the "
                     "socket closed."))
      .metric(column(comm, PM_TYPE_STRING, no_units(), "command",
                     "Command name of that process (at most 15 characters)."))
      .metric(column(laddr, PM_TYPE_STRING, no_units(), "local address",
                     "Local IPv4 or IPv6 address, in the usual text form."))
      .metric(column(lport, PM_TYPE_U32, no_units(), "local port", "Local TCP port."))
      .metric(column(daddr, PM_TYPE_STRING, no_units(), "destination address",
                     "Remote IPv4 or IPv6 address, in the usual text form."))
      .metric(column(dport, PM_TYPE_U32, no_units(), "destination port",
                     "Remote TCP port."))
      .metric(column(tx, PM_TYPE_U64, byte_units(), "transmitted data",
                     "Bytes sent and acknowledged by the peer (tcp_sock.bytes_acked). The "
                     "kernel counts SYN and FIN as one byte each: N payload bytes read N+1 "
                     "or N+2."))
      .metric(column(rx, PM_TYPE_U64, byte_units(), "received data",
                     "Bytes received (tcp_sock.bytes_received). The kernel counts the peer's "
                     "SYN and FIN as one byte each: N payload bytes read N+1 or N+2."))
      .metric(column(duration, PM_TYPE_U32, time_units(PM_TIME_USEC),
                     "duration of the TCP session (from TCP_ESTABLISHED/TCP_SYN_* until "
                     "TCP_CLOSE)",
                     "Microseconds from the socket's first state before closing "
                     "(SYN_SENT, SYN_RECV or ESTABLISHED) to TCP_CLOSE."))
      .instances_help("the most recent TCP sessions, \"0\" the newest");
}

const bool registered = register_module("tcplife", tcplife);

}  // namespace
