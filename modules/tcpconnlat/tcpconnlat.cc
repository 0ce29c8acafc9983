// tcpconnlat: the latency of the most recent TCP connections processes
// made, as pmdabpf's tcpconnlat module shows them (bcc's tcpconnlat tool):
// from the SYN sent to the connection established.
#include <memory>
#include <string>
#include <vector>

#include "bpf/net_address.h"
#include "module/id_filters.h"
#include "module/options.h"
#include "module/record_rows.h"
#include "module/registry.h"
#include "module/table_columns.h"
#include "tcpconnlat.h"

static_assert(sizeof(tcpconnlat_event) == 72, "tcpconnlat_event: the record tcpconnlat.bpf sends");

namespace {

using namespace bcc;

enum Column { pid, comm, ipversion, saddr, lport, daddr, dport, lat };

// The metric of each column, in Column order.
const std::vector<std::string> kColumns = {
    "tcpconnlat.pid",   "tcpconnlat.comm",  "tcpconnlat.ipversion", "tcpconnlat.saddr",
    "tcpconnlat.lport", "tcpconnlat.daddr", "tcpconnlat.dport",     "tcpconnlat.lat"};

// The connections the program reports as they get established, newest first.
class Connections : public RecordRows<tcpconnlat_event> {
 public:
  Connections() : RecordRows("process_count", kColumns, "tcpconnlat.lost") {}

 protected:
  std::vector<Value> row_of(const tcpconnlat_event& e) override {
    std::vector<Value> r(kColumns.size());
    r[pid] = uint64_t{e.pid};
    r[comm] = c_string(e.comm);
    r[ipversion] = uint64_t{e.family == kFamilyInet6 ? 6u : 4u};
    r[saddr] = address_text(e.family, e.saddr);
    r[lport] = uint64_t{e.lport};
    r[daddr] = address_text(e.family, e.daddr);
    r[dport] = uint64_t{e.dport};
    r[lat] = static_cast<double>(e.latency_ns) / 1000.0;
    return r;
  }
};

MetricSpec column(Column c, int type, int semantics, pmUnits units, const char* oneline,
                  std::string help) {
  return column_metric(
      kColumns[c], type, units, oneline,
      help + " Instances \"0\" (the newest connection) to \"N-1\", N being 'process_count'; "
             "only connections slower than 'min_us'.",
      semantics);
}

std::vector<std::string> min_defines(const ModuleOptions& options) {
  uint64_t min_us = options.number("min_us");
  if (min_us == 0) return {};
  return {"MIN_NS=" + std::to_string(min_us * 1000) + "ull"};
}

ModuleSpec tcpconnlat() {
  return ModuleSpec("tcpconnlat")
      .summary("latency of TCP connections processes made, most recent first")
      .program("tcpconnlat.bpf")
      .option(event_count_option("connections"))
      .option(buffer_pages_option(64, "bcc.tcpconnlat.lost"))
      .option(pid_option("only connections of this process (pid)"))
      .option(number_option("min_us", 100,
                            "only connections that took at least this many microseconds "
                            "(0: all)",
                            0, 3600000000ull))
      .process_filter()
      .defines_from(id_filter_defines)
      .defines_from(min_defines)
      .probe("state", {tracepoint("sock:inet_sock_set_state")})
      .probe("destroy", {tracepoint("tcp:tcp_destroy_sock")})
      .events("events", "buffer_page_count")
      .collector(std::make_shared<Connections>())
      .metric(column(pid, PM_TYPE_U32, PM_SEM_DISCRETE, no_units(), "Process ID",
                     "Process id (thread group id) of the process that called connect()."))
      .metric(column(comm, PM_TYPE_STRING, PM_SEM_INSTANT, no_units(), "Command name",
                     "Command name of that process when it called connect() (at most 15 "
                     "bytes, as the kernel keeps it)."))
      .metric(column(ipversion, PM_TYPE_U32, PM_SEM_INSTANT, no_units(), "IP version 4 or 6",
                     "4 for an IPv4 socket, 6 for an IPv6 one (an IPv4 destination of an IPv6 "
                     "socket shows as ::ffff:a.b.c.d)."))
      .metric(column(saddr, PM_TYPE_STRING, PM_SEM_INSTANT, no_units(), "Source IP address.",
                     "Local address of the connection, in the usual text form."))
      .metric(column(lport, PM_TYPE_U32, PM_SEM_INSTANT, no_units(), "Source port",
                     "Local TCP port of the connection."))
      .metric(column(daddr, PM_TYPE_STRING, PM_SEM_INSTANT, no_units(),
                     "Destination IP address.", "Remote address, in the usual text form."))
      .metric(column(dport, PM_TYPE_U32, PM_SEM_INSTANT, no_units(), "Destination port.",
                     "Remote TCP port."))
      .metric(column(lat, PM_TYPE_DOUBLE, PM_SEM_INSTANT, time_units(PM_TIME_USEC), "Latency",
                     "Microseconds from the SYN sent (the socket entering SYN_SENT in "
                     "connect()) to the connection established (the SYN-ACK processed), with "
                     "fractions of a microsecond."))
      .metric(lost_events_metric("tcpconnlat.lost"))
      .instances_help("the most recent TCP connections established, \"0\" the newest");
}

const bool registered = register_module("tcpconnlat", tcpconnlat);

}  // namespace
