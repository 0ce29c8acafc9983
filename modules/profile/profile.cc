// profile: on-demand CPU profiling, as BCC's profile tool samples stacks;
// `pmstore bcc.proc.profile start` begins, `stop` ends and publishes the
// sampled stacks as a flame-graph tree in JSON.
#include <pcp/pmapi.h>
#include <pcp/pmda.h>

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "bpf/symbols.h"
#include "bpf/tables.h"
#include "config/ini.h"
#include "flame_graph.h"
#include "module/collector.h"
#include "module/options.h"
#include "module/registry.h"
#include "profile.h"
#include "system/background_worker.h"

namespace {

using namespace bcc;

// What the metric shows: "stopped" with the last profile (or null),
// "started", or "stopping" while a stopped profile's frames are named.
struct Profile {
  std::mutex lock;
  std::string status = "stopped";
  std::string data = "null";
  bool user_stacks = true, kernel_stacks = true;
  uint64_t generation = 0;  // one per start: a stop still being named for an older one is dropped
  // names the frames of a stopped profile off the request path; last
  // member: destroyed (stopped and joined) before what its task uses
  BackgroundWorker namer;
};

void set_profiling(Maps& bpf, uint32_t on) {
  uint32_t slot = 0;
  std::string key(reinterpret_cast<const char*>(&slot), sizeof slot);
  std::string value(reinterpret_cast<const char*>(&on), sizeof on);
  if (!update_entry(bpf, "profiling", key, value))
    throw std::runtime_error("cannot set the program's 'profiling' flag");
}

void clear_samples(Maps& bpf) {
  clear_map(bpf, "counts");
  clear_map(bpf, "stack_traces");
}

// -EFAULT means there is no such stack (a kernel stack of a task running in
// user space): nothing to show. Other errors lost a stack that existed.
bool stack_lost(int id) { return id < 0 && id != -EFAULT; }

// One (process, user stack, kernel stack) the kernel counted, with the
// stacks' addresses, innermost first, taken out of the kernel at stop.
struct StackSample {
  int pid = 0;
  std::string comm;
  int user_id = 0, kernel_id = 0;
  std::vector<uint64_t> user, kernel;
  uint64_t count = 0;
};

// What must be read at stop, quickly: the samples, and where each sampled
// process's files are mapped (it may exit before its frames are named).
std::vector<StackSample> take_samples(Maps& bpf, const Profile& profile, Symbols& symbols) {
  std::vector<StackSample> samples;
  for (const MapEntry& e : read_entries(bpf, "counts")) {
    StackSample s;
    s.pid = static_cast<int>(field<uint32_t>(e.key, offsetof(profile_key, pid)));
    s.user_id = field<int32_t>(e.key, offsetof(profile_key, user_stack_id));
    s.kernel_id = field<int32_t>(e.key, offsetof(profile_key, kernel_stack_id));
    s.comm = text_field(e.key, offsetof(profile_key, name), sizeof(profile_key::name));
    s.count = field<uint64_t>(e.value, 0);
    if (profile.user_stacks) {
      s.user = stack_addresses(bpf, "stack_traces", s.user_id);
      symbols.read_mappings(s.pid);
    }
    if (profile.kernel_stacks) s.kernel = stack_addresses(bpf, "stack_traces", s.kernel_id);
    samples.push_back(std::move(s));
  }
  return samples;
}

// Appends a stack's frames to `path`, outermost first, each named by
// `symbol(address)`; a "[Missed ...]" frame when the stack was lost.
template <typename Symbolize>
void append_stack(int id, const std::vector<uint64_t>& frames, const char* libtype,
                  const char* missed, Symbolize symbol, std::vector<StackFrame>& path) {
  if (stack_lost(id)) {
    path.push_back({missed, libtype});
    return;
  }
  for (auto a = frames.rbegin(); a != frames.rend(); ++a) path.push_back({symbol(*a), libtype});
}

// The flame graph, its frames named; "" when asked to stop first.
std::string flame_graph_json(const std::vector<StackSample>& samples, bool user_stacks,
                             bool kernel_stacks, Symbols& symbols,
                             const std::atomic<bool>& stopping) {
  FlameGraph graph;
  size_t lost = 0;
  bool out_of_room = false;
  for (const StackSample& s : samples) {
    if (stopping) return "";
    std::vector<StackFrame> path{{s.comm, "user"}};
    if (user_stacks)
      append_stack(s.user_id, s.user, "user", "[Missed User Stack]",
                   [&](uint64_t a) { return symbols.user(s.pid, a); }, path);
    if (kernel_stacks)
      append_stack(s.kernel_id, s.kernel, "kernel", "[Missed Kernel Stack]",
                   [&](uint64_t a) { return symbols.kernel(a); }, path);
    for (int id : {s.user_id, s.kernel_id})
      if (stack_lost(id)) {
        lost++;
        out_of_room = out_of_room || id == -ENOMEM;
      }
    graph.add(path, s.count);
  }
  if (lost)
    pmNotifyErr(LOG_WARNING, "profile: %zu stack trace(s) could not be recorded%s", lost,
                out_of_room ? "; consider a larger stack_storage_size" : "");
  pmNotifyErr(LOG_INFO, "profile: stopped, %llu samples",
              static_cast<unsigned long long>(graph.total()));
  return graph.json();
}

// `stop` takes the samples out of the kernel and answers; naming their
// frames (reading every sampled program's symbols) can take seconds, so it
// runs on the profile's own thread, and the tree is published when done.
void stop_profile(Maps& bpf, Profile& profile) {
  set_profiling(bpf, 0);
  auto symbols = std::make_shared<Symbols>();
  auto samples = std::make_shared<std::vector<StackSample>>(take_samples(bpf, profile, *symbols));
  clear_samples(bpf);
  profile.status = "stopping";
  pmNotifyErr(LOG_INFO, "profile: stopping, naming the frames of %zu stack(s)", samples->size());
  uint64_t generation = profile.generation;
  bool user_stacks = profile.user_stacks, kernel_stacks = profile.kernel_stacks;
  profile.namer.post([&profile, samples, symbols, generation, user_stacks,
                      kernel_stacks](const std::atomic<bool>& stopping) {
    std::string json =
        flame_graph_json(*samples, user_stacks, kernel_stacks, *symbols, stopping);
    std::lock_guard<std::mutex> hold(profile.lock);
    if (json.empty() || profile.generation != generation || profile.status != "stopping")
      return;  // the agent is stopping, or a new profile started meanwhile
    profile.data = std::move(json);
    profile.status = "stopped";
  });
}

int control(Maps& bpf, Profile& profile, const std::string& command) {
  std::lock_guard<std::mutex> hold(profile.lock);
  if (command == "start") {
    if (profile.status == "started") {
      pmNotifyErr(LOG_WARNING, "profile: already started");
      return 0;
    }
    clear_samples(bpf);
    profile.data = "null";
    profile.generation++;
    set_profiling(bpf, 1);
    profile.status = "started";
    pmNotifyErr(LOG_INFO, "profile: started");
    return 0;
  }
  if (command == "stop") {
    if (profile.status != "started") {
      pmNotifyErr(LOG_WARNING, "profile: not started, nothing to stop");
      return 0;
    }
    stop_profile(bpf, profile);
    return 0;
  }
  pmNotifyErr(LOG_ERR, "profile: '%s' is not a command (start, stop)", command.c_str());
  return PM_ERR_BADSTORE;
}

// -1 (every CPU) or a CPU number.
int cpu_option(const ModuleOptions& o) {
  const std::string& text = o.text("cpu");
  if (text.empty() || text == "-1") return -1;
  size_t used = 0;
  int cpu = -1;
  try {
    cpu = std::stoi(text, &used);
  } catch (const std::exception&) {
  }
  if (used != text.size() || cpu < 0)
    throw config::ConfigError("cpu = " + text + ": expected -1 (every CPU) or a CPU number");
  return cpu;
}

// The profile the metric shows, and the commands pmstore sends it.
class Profiler : public Collector {
 public:
  void configure(const ModuleOptions& o) override {
    if (o.flag("user_stacks_only") && o.flag("kernel_stacks_only"))
      throw config::ConfigError("user_stacks_only and kernel_stacks_only cannot both be True");
    cpu_option(o);
    profile_.user_stacks = !o.flag("kernel_stacks_only");
    profile_.kernel_stacks = !o.flag("user_stacks_only");
  }
  // kernel frames are named from kallsyms: read it now, not at the first stop
  std::string attached(Maps&) override {
    if (profile_.kernel_stacks) preload_kernel_symbols();
    return "";
  }
  void collect(Maps&, Collection& out) override {
    std::lock_guard<std::mutex> hold(profile_.lock);
    out.add(kMetric, "",
            R"({"status": ")" + profile_.status + R"(", "data": )" + profile_.data + "}");
  }
  // pmstore's "start" or "stop": 0 or a PCP error
  int store(Maps& bpf, std::string_view, const std::string&, const Value& value) override {
    const std::string* command = std::get_if<std::string>(&value);
    return command ? control(bpf, profile_, *command) : PM_ERR_BADSTORE;
  }
  static constexpr const char* kMetric = "proc.profile";

 private:
  Profile profile_;
};

ModuleSpec profile() {
  auto profiler = std::make_shared<Profiler>();
  MetricSpec metric = make_metric(
      Profiler::kMetric, PM_TYPE_STRING, PM_SEM_INSTANT, no_units(), "stack traces",
      "CPU profile as a flame-graph tree in JSON: {\"status\": \"stopped\"|\"started\"|"
      "\"stopping\", "
      "\"data\": null|tree}, each tree node {\"name\", \"libtype\" (\"user\", \"kernel\"), "
      "\"value\" (samples at or below it), \"children\"}; below the root, one node per "
      "command name, then its user frames, then its kernel frames, outermost first. "
      "'pmstore bcc.proc.profile start' clears the samples and starts sampling (a software "
      "CPU-clock perf event, sample_frequency times a second on each CPU); "
      "'pmstore bcc.proc.profile stop' stops sampling and answers at once; the status is "
      "\"stopping\" while the frames are named (seconds for a large profile), then "
      "\"stopped\" with the tree. Until then the data is null.");
  metric.has_instances = false;
  metric.storable = true;  // start and stop go to the Profiler's store()

  return ModuleSpec("profile")
      .summary("on-demand CPU profile of sampled stacks")
      .program("profile.bpf")
      .option(text_option("process", "profile only these processes (names, pids, regexes)"))
      .option(flag_option("user_stacks_only", "record user stacks only"))
      .option(flag_option("kernel_stacks_only", "record kernel stacks only"))
      .option(number_option("stack_storage_size", 16384,
                            "stack traces the kernel keeps while profiling; raise it when "
                            "the log reports stack traces that could not be recorded",
                            1, 1u << 20))
      .option(number_option("sample_frequency", 47,
                            "samples a second on each CPU; 0 uses sample_period", 0, 100000))
      .option(number_option("sample_period", 1000000,
                            "nanoseconds of CPU clock between samples when "
                            "sample_frequency is 0",
                            1, UINT32_MAX))
      .option(text_option("cpu", "the only CPU to sample; -1 for every CPU"))
      .process_filter()
      .define_if("user_stacks_only", "USER_STACKS_ONLY")
      .define_if("kernel_stacks_only", "KERNEL_STACKS_ONLY")
      .defines_from([](const ModuleOptions& o) {
        return std::vector<std::string>{"STACK_STORAGE_SIZE=" +
                                        std::to_string(o.number("stack_storage_size"))};
      })
      .probe("sample", {perf_event("software:cpu-clock")})
      .perf_sampling([](const ModuleOptions& o) {
        PerfSampling s;
        s.frequency = o.number("sample_frequency");
        if (s.frequency == 0) s.period = o.number("sample_period");
        s.cpu = cpu_option(o);
        return s;
      })
      .collector(profiler)
      .metric(metric);
}

const bool registered = register_module("profile", profile);

}  // namespace
