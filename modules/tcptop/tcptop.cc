// tcptop: the busiest TCP connections, by bytes, over the last interval.
#include <algorithm>
#include <cstddef>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "bpf/net_address.h"
#include "bpf/tables.h"
#include "module/collector.h"
#include "module/interval_epochs.h"
#include "module/options.h"
#include "module/registry.h"
#include "module/socket_fields.h"
#include "module/table_columns.h"
#include "tcptop.h"

static_assert(sizeof(tcptop_flow) == 56, "tcptop_flow: a key without padding bytes");

namespace {

using namespace bcc;

enum Column { pid, comm, laddr, lport, daddr, dport, rx, tx };

std::string command_of(uint32_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/comm");
  std::string name;
  std::getline(in, name);
  return name.empty() ? std::to_string(pid) : name;
}

// The metric of each column, in Column order.
const std::vector<std::string> kColumns = {
    "proc.io.net.tcptop.pid",   "proc.io.net.tcptop.comm",  "proc.io.net.tcptop.laddr",
    "proc.io.net.tcptop.lport", "proc.io.net.tcptop.daddr", "proc.io.net.tcptop.dport",
    "proc.io.net.tcptop.rx",    "proc.io.net.tcptop.tx"};

// The top connections of the last complete interval (or since the last
// fetch) as rows, busiest first; entries of older intervals are deleted.
std::vector<std::vector<Value>> busiest(Maps& bpf, uint64_t interval_ns, size_t count) {
  using Key = std::tuple<uint32_t, uint16_t, std::string, uint16_t, std::string, uint16_t>;
  std::map<Key, tcptop_traffic> totals;
  IntervalEpochs epochs(interval_ns);
  for (const MapEntry& e :
       take_last_interval(bpf, "flows", offsetof(tcptop_flow, epoch), epochs)) {
    if (e.key.size() < sizeof(tcptop_flow) || e.value.size() < sizeof(tcptop_traffic)) continue;
    tcptop_flow f;
    tcptop_traffic t;
    memcpy(&f, e.key.data(), sizeof(f));
    memcpy(&t, e.value.data(), sizeof(t));
    Key key{f.pid, f.lport, address_text(f.family, f.saddr), f.dport,
            address_text(f.family, f.daddr), f.family};
    totals[key].rx += t.rx;
    totals[key].tx += t.tx;
  }
  std::vector<std::pair<const Key*, tcptop_traffic>> sorted;
  for (const auto& [key, t] : totals) sorted.emplace_back(&key, t);
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return a.second.rx + a.second.tx > b.second.rx + b.second.tx;
  });
  if (sorted.size() > count) sorted.resize(count);
  std::vector<std::vector<Value>> rows;
  for (const auto& [key, t] : sorted) {
    std::vector<Value> r(kColumns.size());
    r[pid] = uint64_t{std::get<0>(*key)};
    r[comm] = command_of(std::get<0>(*key));
    r[lport] = uint64_t{std::get<1>(*key)};
    r[laddr] = std::get<2>(*key);
    r[dport] = uint64_t{std::get<3>(*key)};
    r[daddr] = std::get<4>(*key);
    r[rx] = uint64_t{t.rx};
    r[tx] = uint64_t{t.tx};
    rows.push_back(std::move(r));
  }
  return rows;
}

// At each fetch, the busiest connections of the last interval.
class BusiestConnections : public Collector {
 public:
  void configure(const ModuleOptions& options) override {
    interval_ns_ = interval_option_ns(options);
    count_ = options.number("conn_count");
  }
  void collect(Maps& bpf, Collection& out) override {
    add_rows(out, kColumns, busiest(bpf, interval_ns_, count_));
  }

 private:
  uint64_t interval_ns_ = 1000000000ull;  // 0: since the last fetch
  size_t count_ = 20;
};

MetricSpec column(Column c, int type, pmUnits units, const char* oneline, std::string help) {
  return column_metric(kColumns[c], type, units, oneline,
                       help + " Instances \"0\" (the busiest connection) to \"N-1\".");
}

ModuleSpec tcptop() {
  ModuleSpec spec("tcptop");
  spec.summary("the busiest TCP connections by bytes")
      .program("tcptop.bpf")
      .option(interval_option(3600))
      .option(number_option("conn_count", 20, "how many connections to report", 1, 10000))
      .process_filter()
      .probe("send", {tracepoint("sock:sock_send_length")})
      .probe("recv", {tracepoint("sock:sock_recv_length")})
      .defines_from(interval_option_defines)
      .collector(std::make_shared<BusiestConnections>())
      .metric(column(pid, PM_TYPE_U32, no_units(), "PID",
                     "Process that sent or received on the connection."))
      .metric(column(comm, PM_TYPE_STRING, no_units(), "command",
                     "Command name of the process (its pid when it has exited)."))
      .metric(column(laddr, PM_TYPE_STRING, no_units(), "local address",
                     "Local IPv4 or IPv6 address, in the usual text form."))
      .metric(column(lport, PM_TYPE_U32, no_units(), "local port", "Local TCP port."))
      .metric(column(daddr, PM_TYPE_STRING, no_units(), "destination address",
                     "Remote IPv4 or IPv6 address, in the usual text form."))
      .metric(column(dport, PM_TYPE_U32, no_units(), "destination port",
                     "Remote TCP port."))
      .metric(column(rx, PM_TYPE_U64, byte_units(), "bytes received",
                     "Bytes the process received on the connection during the interval."))
      .metric(column(tx, PM_TYPE_U64, byte_units(), "bytes sent",
                     "Bytes the process sent on the connection during the interval."))
      .instances_help("the busiest TCP connections of the last interval, \"0\" the busiest");
  socket_fields(spec);
  return spec;
}

const bool registered = register_module("tcptop", tcptop);

}  // namespace
