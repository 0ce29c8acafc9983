#include "loader/protocol.h"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace bcc::loader {

namespace {

using nlohmann::json;

const char* kPolicies[] = {"module", "custom", "registered"};

json probe_json(const ProbeAlternative& alt) {
  return {{"type", type_name(alt.type)},
          {"target", alt.target},
          {"function", alt.function},
          {"pid", alt.pid},
          {"frequency", alt.sampling.frequency},
          {"period", alt.sampling.period},
          {"cpu", alt.sampling.cpu}};
}

ProbeType probe_type(const std::string& name) {
  for (ProbeType t : {ProbeType::tracepoint, ProbeType::raw_tracepoint, ProbeType::kprobe,
                      ProbeType::kretprobe, ProbeType::uprobe, ProbeType::uretprobe,
                      ProbeType::usdt, ProbeType::perf_event})
    if (name == type_name(t)) return t;
  throw std::runtime_error("unknown probe type '" + name + "'");
}

ProbeAlternative probe_from(const json& j) {
  ProbeAlternative alt{probe_type(j.at("type").get<std::string>()),
                       j.at("target").get<std::string>(), j.at("function").get<std::string>(),
                       j.at("pid").get<int>(), PerfSampling{}};
  alt.sampling.frequency = j.at("frequency").get<uint64_t>();
  alt.sampling.period = j.at("period").get<uint64_t>();
  alt.sampling.cpu = j.at("cpu").get<int>();
  return alt;
}

template <typename F>
auto parsed(const std::string& text, const char* what, F&& read) {
  try {
    return read(json::parse(text));
  } catch (const json::exception& e) {
    throw std::runtime_error(std::string("malformed loader ") + what + ": " + e.what());
  }
}

}  // namespace

const char* policy_name(SourcePolicy policy) { return kPolicies[static_cast<int>(policy)]; }

std::string to_json(const BuildRequest& r) {
  json usdt = json::array(), attach = json::array();
  for (const auto& alt : r.usdt) usdt.push_back(probe_json(alt));
  for (const auto& alt : r.attach) attach.push_back(probe_json(alt));
  return json{{"name", r.name},         {"source", r.source},
              {"origin", r.origin},     {"defines", r.defines},
              {"usdt", usdt},           {"attach", attach},
              {"maps", r.maps},         {"policy", policy_name(r.policy)},
              {"include_dir", r.include_dir},
              {"kernel_headers", r.kernel_headers},
              {"header_cache", r.header_cache}}
      .dump(-1, ' ', false, json::error_handler_t::replace);
}

BuildRequest request_from_json(const std::string& text) {
  return parsed(text, "request", [](const json& j) {
    BuildRequest r;
    r.name = j.at("name").get<std::string>();
    r.source = j.at("source").get<std::string>();
    r.origin = j.at("origin").get<std::string>();
    r.defines = j.at("defines").get<std::vector<std::string>>();
    for (const json& p : j.at("usdt")) r.usdt.push_back(probe_from(p));
    for (const json& p : j.at("attach")) r.attach.push_back(probe_from(p));
    r.maps = j.at("maps").get<std::vector<std::string>>();
    std::string policy = j.at("policy").get<std::string>();
    bool known = false;
    for (int i = 0; i < 3; i++)
      if (policy == kPolicies[i]) {
        r.policy = static_cast<SourcePolicy>(i);
        known = true;
      }
    if (!known) throw std::runtime_error("unknown source policy '" + policy + "'");
    r.include_dir = j.at("include_dir").get<std::string>();
    r.kernel_headers = j.value("kernel_headers", r.kernel_headers);
    r.header_cache = j.value("header_cache", r.header_cache);
    return r;
  });
}

std::string to_json(const Manifest& m) {
  json maps = json::array(), attachments = json::array();
  for (const auto& map : m.maps) maps.push_back({{"name", map.name}, {"fd", map.fd}});
  for (const auto& a : m.attachments)
    attachments.push_back(
        {{"function", a.function}, {"error", a.error}, {"program", a.program}, {"links", a.links}});
  return json{{"error", m.error},
              {"compiler_output", m.compiler_output},
              {"compile_seconds", m.compile_seconds},
              {"kernel_headers", m.kernel_headers},
              {"btf", m.btf},
              {"maps", maps},
              {"attachments", attachments},
              {"tracefs_events", m.tracefs_events}}
      .dump(-1, ' ', false, json::error_handler_t::replace);
}

Manifest manifest_from_json(const std::string& text) {
  return parsed(text, "manifest", [](const json& j) {
    Manifest m;
    m.error = j.at("error").get<std::string>();
    m.compiler_output = j.at("compiler_output").get<std::string>();
    m.compile_seconds = j.at("compile_seconds").get<double>();
    m.kernel_headers = j.value("kernel_headers", std::string());
    m.btf = j.value("btf", false);
    for (const json& map : j.at("maps"))
      m.maps.push_back({map.at("name").get<std::string>(), map.at("fd").get<int>()});
    for (const json& a : j.at("attachments"))
      m.attachments.push_back({a.at("function").get<std::string>(), a.at("error").get<std::string>(),
                               a.at("program").get<int>(), a.at("links").get<std::vector<int>>()});
    m.tracefs_events = j.at("tracefs_events").get<std::vector<std::string>>();
    return m;
  });
}

}  // namespace bcc::loader
