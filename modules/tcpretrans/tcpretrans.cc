// tcpretrans: TCP retransmissions per flow.
#include <algorithm>
#include <cstring>
#include <memory>

#include "bpf/net_address.h"
#include "bpf/tables.h"
#include "module/collector.h"
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

// The flow_count flows with the most retransmissions.
class TopFlows : public Collector {
 public:
  void configure(const ModuleOptions& options) override {
    limit_ = options.number("flow_count");
  }
  void collect(Maps& bpf, Collection& out) override {
    std::vector<Sample>* top = out.values(kMetric);
    if (!top) return;
    std::vector<Sample> flows;
    for (auto& [key, count] : read_u64_hash(bpf, "retransmits")) {
      std::string instance = flow_instance(key);
      if (!instance.empty()) flows.push_back({std::move(instance), count});
    }
    std::stable_sort(flows.begin(), flows.end(), [](const Sample& a, const Sample& b) {
      return std::get<uint64_t>(a.value) > std::get<uint64_t>(b.value);
    });
    if (flows.size() > limit_) flows.resize(limit_);
    for (Sample& s : flows) top->push_back(std::move(s));
  }
  static constexpr const char* kMetric = "io.net.tcp.retrans.count";

 private:
  size_t limit_ = 20;
};

ModuleSpec tcpretrans() {
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
      .probe("retransmit", {tracepoint("tcp:tcp_retransmit_skb"), kprobe("tcp_retransmit_skb")})
      .probe_if("include_tlp", "tlp", {kprobe("tcp_send_loss_probe")})
      .collector(std::make_shared<TopFlows>())
      .metric(make_metric(
          TopFlows::kMetric, PM_TYPE_U64, PM_SEM_COUNTER, count_units(), "retransmits",
          "TCP segments retransmitted on each flow since the flow was first seen, tail loss "
          "probes included with include_tlp. Instances are flows named "
          "\"laddr:lport::daddr:dport\"; the flow_count flows with the most retransmissions "
          "are reported."))
      .instances_help("TCP flows, named \"laddr:lport::daddr:dport\"");
  socket_fields(spec);
  return spec;
}

const bool registered = register_module("tcpretrans", tcpretrans);

}  // namespace
