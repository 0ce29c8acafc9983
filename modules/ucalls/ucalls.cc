// ucalls: method calls of a language runtime (Java, Perl, PHP, Python,
// Ruby, Tcl) in one followed process, by "Class.method", counted and, with
// `latency`, timed, from the runtime's own USDT probes, as the Python BCC
// agent's module of the same name (after bcc's ucalls tool) reports them.
#include <cctype>
#include <cstddef>
#include <cstring>
#include <map>
#include <memory>
#include <unordered_map>

#include "bpf/tables.h"
#include "config/ini.h"
#include "instance_name.h"
#include "module/collector.h"
#include "module/language_option.h"
#include "module/metrics.h"
#include "module/options.h"
#include "module/registry.h"
#include "ucalls.h"

namespace {

using bcc::Maps;
using bcc::Sample;

const std::vector<std::string> kLanguages = {"java", "perl", "php", "python", "ruby", "tcl"};

// The runtime's USDT probes at a method's entry and return.
struct CallProbes {
  const char* entry;
  const char* ret;
};

CallProbes call_probes(const std::string& language) {
  if (language == "java" || language == "ruby") return {"method__entry", "method__return"};
  if (language == "perl") return {"sub__entry", "sub__return"};
  if (language == "tcl") return {"proc__entry", "proc__return"};
  return {"function__entry", "function__return"};  // php, python
}

// "Class.method" of a key of the calls map (struct ucalls_method)
std::string method_name(const std::string& key) {
  auto text = [&key](size_t offset) {
    if (key.size() < offset + UCALLS_NAME_LENGTH) return std::string();
    const char* start = key.data() + offset;
    return std::string(start, strnlen(start, UCALLS_NAME_LENGTH));
  };
  return bcc::clean_instance_name(text(offsetof(ucalls_method, clazz)) + "." +
                                  text(offsetof(ucalls_method, method)));
}

// a method's calls, added up over the keys whose names clean to the same
using Calls = ucalls_calls;

// Method names by map key, kept from one fetch to the next: a JVM's map
// holds thousands of methods, and cleaning every name again at each fetch
// cost more than reading the map. Keys gone from the map are forgotten.
class MethodNames {
 public:
  const std::string& of(const std::string& key) {
    auto seen = seen_.find(key);
    if (seen != seen_.end()) return seen->second;
    auto known = known_.extract(key);
    if (known) return seen_.insert(std::move(known)).position->second;
    return seen_.emplace(key, method_name(key)).first->second;
  }
  // The keys not asked for since the last call are forgotten.
  void fetch_done() {
    known_ = std::move(seen_);
    seen_.clear();
  }

 private:
  std::unordered_map<std::string, std::string> known_, seen_;
};

// The calls of each method; names the cleaning makes equal are added up.
std::map<std::string, Calls> calls_by_method(Maps& bpf, MethodNames& names) {
  std::map<std::string, Calls> out;
  for (const bcc::MapEntry& e : bcc::read_entries(bpf, "calls")) {
    const std::string& name = names.of(e.key);
    if (name.empty()) continue;
    Calls& c = out[name];
    c.count += bcc::field<uint64_t>(e.value, offsetof(ucalls_calls, count));
    c.timed += bcc::field<uint64_t>(e.value, offsetof(ucalls_calls, timed));
    c.total_us += bcc::field<uint64_t>(e.value, offsetof(ucalls_calls, total_us));
  }
  names.fetch_done();
  return out;
}

const char* const kCount = "proc.ucall.count";
const char* const kAverage = "proc.ucall.latency.avg";
const char* const kCumulative = "proc.ucall.latency.cml";

// The followed process's runtime and its probes, and each fetch's calls
// by method from one read of the calls map.
class MethodCalls : public bcc::Collector {
 public:
  void configure(const bcc::ModuleOptions& options) override {
    language_.configure(options);
    latency_ = options.flag("latency");
  }
  std::vector<std::string> defines(const std::vector<int>& pids) override {
    std::vector<std::string> out;
    if (!language_.arm(pids).empty()) {
      std::string macro = "LANGUAGE_" + language_.language();
      for (char& c : macro) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      out.push_back(macro);
    }
    return out;
  }
  std::vector<bcc::ProbeChain> probes(const std::vector<int>& pids) override {
    const std::string& language = language_.language();
    if (pids.empty() || language.empty()) return {};
    CallProbes probes = call_probes(language);
    std::vector<bcc::RuntimeProbeUse> uses{{probes.entry, "call_entry"}};
    if (latency_) uses.push_back({probes.ret, "call_return"});
    if (language == "ruby") {  // methods written in C
      uses.push_back({"cmethod__entry", "cmethod_entry", true});
      if (latency_) uses.push_back({"cmethod__return", "cmethod_return", true});
    }
    return bcc::runtime_probe_chains(pids.front(), uses);
  }
  void collect(Maps& bpf, bcc::Collection& out) override {
    std::vector<Sample>* count = out.values(kCount);
    std::vector<Sample>* average = latency_ ? out.values(kAverage) : nullptr;
    std::vector<Sample>* cumulative = latency_ ? out.values(kCumulative) : nullptr;
    for (const auto& [name, calls] : calls_by_method(bpf, names_)) {
      if (count) count->push_back({name, calls.count});
      if (average && calls.timed) average->push_back({name, calls.total_us / calls.timed});
      if (cumulative) cumulative->push_back({name, calls.total_us});
    }
  }

 private:
  bcc::FollowedLanguage language_{kLanguages};
  bool latency_ = false;
  MethodNames names_;
};

bcc::ModuleSpec ucalls() {
  using namespace bcc;
  const std::string instances =
      " Instances are \"Class.method\" (for Java \"package.Class.method\"; Tcl procedures "
      "have no class), cleaned as the Python BCC agent cleaned them.";
  return ModuleSpec("ucalls")
      .summary("method calls of a language runtime (Java, Perl, PHP, Python, Ruby, Tcl)")
      .program("ucalls.bpf")
      .option(text_option("process", "the process to follow (mandatory; the first match)"))
      .option(language_option(kLanguages))
      .option(flag_option("latency", "time each call too (adds a return probe, about doubling "
                                    "the cost of each call)"))
      .follow_processes(ProcessArming::first_match)
      .process_required("USDT probes are attached to one process")
      .define_if("latency", "LATENCY")
      .collector(std::make_shared<MethodCalls>())
      .metric(make_metric(kCount, PM_TYPE_U64, PM_SEM_COUNTER, count_units(), "ucall count",
                          "Calls of each method in the followed process, counted at the "
                          "method's entry probe." + instances))
      .metric(make_metric(
          kAverage, PM_TYPE_U64, PM_SEM_INSTANT, time_units(PM_TIME_USEC), "ucall avglatency",
          "Average time of each method's calls since the module started, in microseconds, "
          "from its entry and return probes (with the 'latency' option only)." + instances))
      .metric(make_metric(
          kCumulative, PM_TYPE_U64, PM_SEM_COUNTER, time_units(PM_TIME_USEC), "ucall cmllatency",
          "Total time spent in each method's calls, in microseconds, from its entry and return "
          "probes (with the 'latency' option only)." + instances))
      .instances_help("methods, named \"Class.method\"");
}

const bool registered = bcc::register_module("ucalls", ucalls);

}  // namespace
