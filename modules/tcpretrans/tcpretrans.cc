// tcpretrans: TCP retransmissions per flow.
#include <algorithm>
#include <cstring>
#include <memory>

#include "bpf/net_address.h"
#include "bpf/tables.h"
#include "module/metrics.h"
#include "module/options.h"
#include "module/registry.h"
#include "module/socket_fields.h"
#include "tcpretrans.h"

static_assert(sizeof(tcpretrans_flow) == 40, "tcpretrans_flow: a key without padding bytes");

namespace {

using namespace bcc;

std::string flow_instance(const std::string& key) {
  if (key.size() < sizeof(tcpretrans_flow)) return "";
  tcpretrans_flow f;
  memcpy(&f, key.data(), sizeof(f));
  return flow_name(address_text(f.family, f.saddr), f.lport, address_text(f.family, f.daddr),
                   f.dport);
}

// The `limit` flows with the most retransmissions.
MetricSpec retransmits(std::shared_ptr<size_t> limit) {
  MetricSpec m = hash_counter(
      "io.net.tcp.retrans.count", "retransmits", count_units(), flow_instance, "retransmits",
      "TCP segments retransmitted on each flow since the flow was first seen, tail loss "
      "probes included with include_tlp. Instances are flows named "
      "\"laddr:lport::daddr:dport\"; the flow_count flows with the most retransmissions are "
      "reported.");
  Reader all = m.read;
  m.read = [all, limit](Maps& bpf, std::vector<Sample>& out) {
    std::vector<Sample> flows;
    all(bpf, flows);
    std::stable_sort(flows.begin(), flows.end(), [](const Sample& a, const Sample& b) {
      return std::get<uint64_t>(a.value) > std::get<uint64_t>(b.value);
    });
    if (flows.size() > *limit) flows.resize(*limit);
    for (Sample& s : flows) out.push_back(std::move(s));
  };
  return m;
}

ModuleSpec tcpretrans() {
  auto limit = std::make_shared<size_t>(20);
  ModuleSpec spec("tcpretrans");
  spec.summary("TCP retransmissions per flow")
      .program("tcpretrans.bpf")
      .option(flag_option("include_tlp", "count tail loss probes too (needs kprobes)"))
      .option(number_option("flow_count", 20, "how many flows to report (the most retransmitting)",
                            1, 10000))
      .option(number_option("buffer_page_count", 64,
                            "accepted for compatibility: counts are kept in the kernel, no perf "
                            "buffer is used",
                            1, 1 << 20))
      .on_configure([limit](const ModuleOptions& options) {
        *limit = options.number("flow_count");
      })
      .probe("retransmit", {tracepoint("tcp:tcp_retransmit_skb"), kprobe("tcp_retransmit_skb")})
      .probe_if("include_tlp", "tlp", {kprobe("tcp_send_loss_probe")})
      .metric(retransmits(limit))
      .instances_help("TCP flows, named \"laddr:lport::daddr:dport\"");
  socket_fields(spec);
  return spec;
}

const bool registered = register_module("tcpretrans", tcpretrans);

}  // namespace
