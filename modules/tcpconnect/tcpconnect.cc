// tcpconnect: the most recent TCP connections processes started, as
// pmdabpf's tcpconnect module shows them (bcc's tcpconnect tool): process,
// user, addresses and destination port.
#include <memory>
#include <string>
#include <vector>

#include "bpf/net_address.h"
#include "module/id_filters.h"
#include "module/options.h"
#include "module/record_rows.h"
#include "module/registry.h"
#include "module/table_columns.h"
#include "tcpconnect.h"

static_assert(sizeof(tcpconnect_event) == 64, "tcpconnect_event: the record tcpconnect.bpf sends");

namespace {

using namespace bcc;

enum Column { pid, comm, ipversion, saddr, daddr, dport, uid };

// The metric of each column, in Column order.
const std::vector<std::string> kColumns = {
    "tcpconnect.pid",   "tcpconnect.comm",  "tcpconnect.ipversion", "tcpconnect.saddr",
    "tcpconnect.daddr", "tcpconnect.dport", "tcpconnect.uid"};

// The connections the program reports as they start, newest first.
class Connections : public RecordRows<tcpconnect_event> {
 public:
  Connections() : RecordRows("process_count", kColumns, "tcpconnect.lost") {}

 protected:
  std::vector<Value> row_of(const tcpconnect_event& e) override {
    std::vector<Value> r(kColumns.size());
    r[pid] = uint64_t{e.pid};
    r[comm] = c_string(e.comm);
    r[ipversion] = uint64_t{e.family == kFamilyInet6 ? 6u : 4u};
    r[saddr] = address_text(e.family, e.saddr);
    r[daddr] = address_text(e.family, e.daddr);
    r[dport] = uint64_t{e.dport};
    r[uid] = uint64_t{e.uid};
    return r;
  }
};

MetricSpec column(Column c, int type, int semantics, const char* oneline, std::string help) {
  return column_metric(
      kColumns[c], type, no_units(), oneline,
      help + " Instances \"0\" (the newest connection) to \"N-1\", N being 'process_count'.",
      semantics);
}

ModuleSpec tcpconnect() {
  return ModuleSpec("tcpconnect")
      .summary("TCP connections processes started, most recent first")
      .program("tcpconnect.bpf")
      .option(event_count_option("connections"))
      .option(buffer_pages_option(64, "bcc.tcpconnect.lost"))
      .option(pid_option("only connections of this process (pid)"))
      .option(uid_option("only connections of processes of this user id"))
      .port_filter("port", "DPORT_ALLOWED", "only connections to these destination ports")
      .process_filter()
      .defines_from(id_filter_defines)
      .probe("state", {tracepoint("sock:inet_sock_set_state")})
      .events("events", "buffer_page_count")
      .collector(std::make_shared<Connections>())
      .metric(column(pid, PM_TYPE_U32, PM_SEM_DISCRETE, "Process ID",
                     "Process id (thread group id) of the process that called connect()."))
      .metric(column(comm, PM_TYPE_STRING, PM_SEM_INSTANT, "Command name",
                     "Command name of that process (at most 15 bytes, as the kernel keeps "
                     "it)."))
      .metric(column(ipversion, PM_TYPE_U32, PM_SEM_INSTANT, "IP version 4 or 6",
                     "4 for an IPv4 socket, 6 for an IPv6 one (an IPv4 destination of an IPv6 "
                     "socket shows as ::ffff:a.b.c.d)."))
      .metric(column(saddr, PM_TYPE_STRING, PM_SEM_INSTANT, "Source IP address.",
                     "Local address the connection is made from, in the usual text form."))
      .metric(column(daddr, PM_TYPE_STRING, PM_SEM_INSTANT, "Destination IP address.",
                     "Remote address connected to, in the usual text form."))
      .metric(column(dport, PM_TYPE_U32, PM_SEM_INSTANT, "Destination port.",
                     "Remote TCP port connected to."))
      .metric(column(uid, PM_TYPE_U32, PM_SEM_INSTANT, "User ID",
                     "Real user id of the process that called connect()."))
      .metric(lost_events_metric("tcpconnect.lost"))
      .instances_help("the most recent TCP connections started, \"0\" the newest");
}

const bool registered = register_module("tcpconnect", tcpconnect);

}  // namespace
