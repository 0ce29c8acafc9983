// ustat: threads started, methods called, objects allocated, classes
// loaded, exceptions thrown and garbage collections of language runtimes
// (Java, Node.js, Perl, PHP, Python, Ruby, Tcl), per followed process, from
// the runtime's USDT probes, as the Python BCC agent's module of the same
// name (after bcc's ustat tool) counts them.
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "bpf/process_filter.h"
#include "bpf/tables.h"
#include "config/ini.h"
#include "module/collector.h"
#include "module/language_option.h"
#include "module/metrics.h"
#include "module/options.h"
#include "module/registry.h"
#include "ustat.h"

namespace {

const std::vector<std::string> kLanguages = {"java", "node", "perl", "php",
                                             "python", "ruby", "tcl"};

// What an event counts as: its slot in the program's struct ustat_counts,
// the item of its metric.
using Category = ustat_category;
constexpr Category thread = USTAT_THREAD, method = USTAT_METHOD, object = USTAT_OBJECT,
                   klass = USTAT_CLASS, exception = USTAT_EXCEPTION, gc = USTAT_GC;

struct RuntimeProbe {
  const char* name;
  Category category;
};

// The Python agent's table (bcc's ustat) of each runtime's probes.
std::vector<RuntimeProbe> runtime_probes(const std::string& language) {
  if (language == "java")
    return {{"gc__begin", gc},           {"mem__pool__gc__begin", gc},
            {"thread__start", thread},   {"class__loaded", klass},
            {"object__alloc", object},   {"method__entry", method},
            {"ExceptionOccurred__entry", exception}};
  if (language == "node") return {{"gc__start", gc}};
  if (language == "perl") return {{"sub__entry", method}};
  if (language == "php")
    return {{"function__entry", method},
            {"compile__file__entry", klass},
            {"exception__thrown", exception}};
  if (language == "python") return {{"function__entry", method}, {"gc__start", gc}};
  if (language == "ruby")
    return {{"method__entry", method},   {"cmethod__entry", method},
            {"gc__mark__begin", gc},     {"gc__sweep__begin", gc},
            {"object__create", object},  {"hash__create", object},
            {"string__create", object},  {"array__create", object},
            {"require__entry", klass},   {"load__entry", klass},
            {"raise", exception}};
  if (language == "tcl") return {{"proc__entry", method}, {"obj__create", object}};
  return {};
}

// The function counting probe `probe` of the `process`-th followed process.
std::string count_function(size_t process, size_t probe) {
  return "count_" + std::to_string(process) + "_" + std::to_string(probe);
}

// The followed process's pid, for the processes still alive.
std::string pid_of(const std::string& key) {
  auto pid = bcc::field<uint32_t>(key, 0);
  return bcc::process_running(static_cast<int>(pid)) ? std::to_string(pid) : "";
}

bcc::MetricSpec count(const char* name, Category category, const char* oneline,
                      const std::string& help) {
  return bcc::hash_field_counter(
      std::string("proc.ustat.") + name, "counts",
      offsetof(ustat_counts, events) + sizeof(__u64) * category,
      bcc::count_units(), pid_of, oneline,
      help + " Instances are the pids of the followed processes.");
}

// The runtime of the followed processes, and the program's functions and
// probes for its probes in each of them.
class RuntimeEvents : public bcc::Collector {
 public:
  void configure(const bcc::ModuleOptions& options) override { language_.configure(options); }
  std::vector<std::string> defines(const std::vector<int>& pids) override {
    std::string functions;
    std::vector<RuntimeProbe> probes = runtime_probes(language_.arm(pids));
    for (size_t p = 0; p < pids.size(); p++)
      for (size_t i = 0; i < probes.size(); i++)
        functions += "COUNT_FUNCTION(" + count_function(p, i) + ", " +
                     std::to_string(probes[i].category) + ") ";
    return {"USTAT_FUNCTIONS=" + functions};
  }
  std::vector<bcc::ProbeChain> probes(const std::vector<int>& pids) override {
    // every probe of the runtime in each process; those a runtime's
    // build lacks are left out (the module then runs partially)
    std::vector<bcc::ProbeChain> chains;
    std::vector<RuntimeProbe> probes = runtime_probes(language_.language());
    for (size_t p = 0; p < pids.size(); p++) {
      std::vector<bcc::RuntimeProbeUse> uses;
      for (size_t i = 0; i < probes.size(); i++)
        uses.push_back({probes[i].name, count_function(p, i), /*optional=*/true});
      for (bcc::ProbeChain& chain : bcc::runtime_probe_chains(pids[p], uses))
        chains.push_back(std::move(chain));
    }
    return chains;
  }

 private:
  bcc::FollowedLanguage language_{kLanguages};
};

bcc::ModuleSpec ustat() {
  using namespace bcc;
  return ModuleSpec("ustat")
      .summary("language runtime events per process (threads, methods, objects, classes, "
               "exceptions, GCs)")
      .program("ustat.bpf")
      .option(text_option("process", "the processes to follow (mandatory)"))
      .option(language_option(kLanguages))
      .follow_processes(ProcessArming::each_match)
      .process_required("USDT probes are attached to processes")
      .collector(std::make_shared<RuntimeEvents>())
      .metric(count("thread", thread, "threads started",
                    "Threads the runtime started in each followed process."))
      .metric(count("method", method, "method call count",
                    "Method (function, subroutine, procedure) calls in each followed process; "
                    "for Java, needs the JVM option -XX:+ExtendedDTraceProbes."))
      .metric(count("object", object, "objects created",
                    "Objects allocated in each followed process; for Java, needs the JVM "
                    "option -XX:+ExtendedDTraceProbes."))
      .metric(count("class", klass, "class load count",
                    "Classes loaded (for PHP files compiled, for Ruby files required or "
                    "loaded) in each followed process."))
      .metric(count("except", exception, "exception count",
                    "Exceptions thrown in each followed process (for Java, those JNI code "
                    "checks for)."))
      .metric(count("gc", gc, "gc count",
                    "Garbage collections in each followed process (for Java, a collection and "
                    "each memory pool it collects count one each, as in bcc's ustat)."))
      .instances_help("followed processes, named by pid");
}

const bool registered = bcc::register_module("ustat", ustat);

}  // namespace
