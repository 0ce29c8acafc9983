#include "bpf/probe.h"

#include <unistd.h>

#include <linux/perf_event.h>

#include <algorithm>
#include <cctype>
#include <map>

namespace bcc {

namespace {
ProbeAlternative make(ProbeType type, std::string target, std::string function = "",
                      int pid = -1) {
  ProbeAlternative alt{type, std::move(target), std::move(function), pid, PerfSampling{}};
  return alt;
}
}  // namespace

ProbeAlternative tracepoint(std::string category_event) {
  return make(ProbeType::tracepoint, std::move(category_event));
}
ProbeAlternative raw_tracepoint(std::string event) {
  return make(ProbeType::raw_tracepoint, std::move(event));
}
ProbeAlternative kprobe(std::string function) { return make(ProbeType::kprobe, std::move(function)); }
ProbeAlternative kretprobe(std::string function) {
  return make(ProbeType::kretprobe, std::move(function));
}

ProbeAlternative uprobe(std::string binary, std::string symbol, std::string function, int pid) {
  return make(ProbeType::uprobe, binary + ":" + symbol, std::move(function), pid);
}
ProbeAlternative uretprobe(std::string binary, std::string symbol, std::string function,
                           int pid) {
  return make(ProbeType::uretprobe, binary + ":" + symbol, std::move(function), pid);
}
ProbeAlternative usdt(std::string binary, std::string provider, std::string probe,
                      std::string function, int pid) {
  return make(ProbeType::usdt, binary + ":" + provider + ":" + probe, std::move(function), pid);
}

ProbeAlternative perf_event(std::string event) {
  return make(ProbeType::perf_event, std::move(event));
}

std::optional<PerfEventId> perf_event_id(const std::string& name) {
  static const std::map<std::string, PerfEventId> known = {
      {"software:cpu-clock", {PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK}},
      {"software:task-clock", {PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK}},
      {"software:page-faults", {PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS}},
      {"software:context-switches", {PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES}},
      {"software:cpu-migrations", {PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS}},
      {"hardware:cpu-cycles", {PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES}},
      {"hardware:instructions", {PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS}},
  };
  auto it = known.find(name);
  if (it == known.end()) return std::nullopt;
  return it->second;
}

const char* type_name(ProbeType type) {
  switch (type) {
    case ProbeType::tracepoint: return "tracepoint";
    case ProbeType::raw_tracepoint: return "raw_tracepoint";
    case ProbeType::kprobe: return "kprobe";
    case ProbeType::kretprobe: return "kretprobe";
    case ProbeType::uprobe: return "uprobe";
    case ProbeType::uretprobe: return "uretprobe";
    case ProbeType::usdt: return "usdt";
    case ProbeType::perf_event: return "perf_event";
  }
  return "?";
}

std::string ProbeAlternative::describe() const {
  std::string out = std::string(type_name(type)) + " " + target;
  if (pid >= 0) out += " pid " + std::to_string(pid);
  // a process's own mapping (binaries.h, binary_of_process): say which file
  std::string bin = binary();
  if (bin.rfind("/proc/", 0) == 0 && bin.find("/map_files/") != std::string::npos) {
    char file[4096];
    ssize_t n = readlink(bin.c_str(), file, sizeof file);
    if (n > 0 && static_cast<size_t>(n) < sizeof file) out += " (" + std::string(file, n) + ")";
  }
  return out;
}

// Binaries are paths and symbols have no ':', but USDT names carry
// "provider:probe": the binary is everything before the last one or two.
std::string ProbeAlternative::binary() const {
  size_t colon = target.rfind(':');
  if (type == ProbeType::usdt && colon != std::string::npos && colon > 0)
    colon = target.rfind(':', colon - 1);
  return colon == std::string::npos ? target : target.substr(0, colon);
}

std::string ProbeAlternative::symbol() const {
  std::string bin = binary();
  return bin.size() < target.size() ? target.substr(bin.size() + 1) : "";
}

std::string ProbeAlternative::function_name() const {
  if (!function.empty()) return function;
  switch (type) {
    case ProbeType::tracepoint: {
      std::string name = target;
      std::replace(name.begin(), name.end(), ':', '_');
      size_t colon = target.find(':');
      // category__event, as BCC's TRACEPOINT_PROBE(category, event) names it
      if (colon != std::string::npos)
        name = target.substr(0, colon) + "__" + target.substr(colon + 1);
      return "tracepoint__" + name;
    }
    case ProbeType::raw_tracepoint: return "raw_tracepoint__" + target;
    case ProbeType::kprobe: return "kprobe__" + target;
    case ProbeType::kretprobe: return "kretprobe__" + target;
    case ProbeType::uprobe:
    case ProbeType::uretprobe:
    case ProbeType::usdt: break;  // always named by the module
    case ProbeType::perf_event: {
      std::string name = target;
      for (char& c : name)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      return "perf_event__" + name;
    }
  }
  return target;
}

std::string ProbeChain::macro(const ProbeAlternative& alt) const {
  std::string m = name + "_" + type_name(alt.type);
  for (char& c : m) c = std::isalnum(static_cast<unsigned char>(c)) ? std::toupper(c) : '_';
  return m;
}

std::string ProbeChain::target_macro(const ProbeAlternative& alt) const {
  size_t colon = alt.target.find(':');
  std::string m = name + "_" + (colon == std::string::npos ? alt.target : alt.target.substr(colon + 1));
  for (char& c : m) c = std::isalnum(static_cast<unsigned char>(c)) ? std::toupper(c) : '_';
  return m;
}

ProbeChoice choose(const ProbeChain& chain, const KernelProbes& kernel,
                   const std::set<ProbeAlternative>& failed) {
  ProbeChoice choice;
  for (size_t i = 0; i < chain.alternatives.size(); i++) {
    const ProbeAlternative& alt = chain.alternatives[i];
    std::string why = failed.count(alt) ? "failed to attach" : kernel.unavailable(alt);
    if (why.empty()) {
      choice.index = i;
      return choice;
    }
    if (!choice.why_none.empty()) choice.why_none += "; ";
    choice.why_none += alt.describe() + ": " + why;
  }
  if (chain.alternatives.empty()) choice.why_none = "no alternatives declared";
  return choice;
}

}  // namespace bcc
