// profile: on-demand CPU profiling, as BCC's profile tool samples stacks;
// `pmstore bcc.proc.profile start` begins, `stop` ends and publishes the
// sampled stacks as a flame-graph tree in JSON.
#include <pcp/pmapi.h>
#include <pcp/pmda.h>

#include <bcc/BPF.h>

#include <cerrno>
#include <memory>
#include <mutex>

#include "bpf/symbols.h"
#include "bpf/tables.h"
#include "config/ini.h"
#include "module/flame_graph.h"
#include "module/options.h"
#include "module/registry.h"

namespace {

using namespace bcc;

// Layout of the program's struct key_t.
constexpr size_t kPid = 0, kUserStack = 4, kKernelStack = 8, kComm = 12, kCommLen = 16;

// What the metric shows: "stopped" with the last profile (or null), or "started".
struct Profile {
  std::mutex lock;
  std::string status = "stopped";
  std::string data = "null";
  bool user_stacks = true, kernel_stacks = true;
};

void set_profiling(ebpf::BPF& bpf, uint32_t on) {
  auto flag = bpf.get_array_table<uint32_t>("profiling");
  flag.update_value(0, on);
}

void clear_samples(ebpf::BPF& bpf) {
  bpf.get_table("counts").clear_table_non_atomic();
  bpf.get_stack_table("stack_traces").clear_table_non_atomic();
}

// -EFAULT means there is no such stack (a kernel stack of a task running in
// user space): nothing to show. Other errors lost a stack that existed.
bool stack_lost(int id) { return id < 0 && id != -EFAULT; }

// Appends stack `id`'s frames to `path`, outermost first, each named by
// `symbol(address)`; a "[Missed ...]" frame when the stack was lost.
template <typename Symbolize>
void append_stack(ebpf::BPF& bpf, int id, const char* libtype, const char* missed,
                  Symbolize symbol, std::vector<StackFrame>& path) {
  if (stack_lost(id)) {
    path.push_back({missed, libtype});
    return;
  }
  std::vector<uint64_t> frames = stack_addresses(bpf, "stack_traces", id);
  for (auto a = frames.rbegin(); a != frames.rend(); ++a) path.push_back({symbol(*a), libtype});
}

std::string flame_graph_json(ebpf::BPF& bpf, const Profile& profile) {
  FlameGraph graph;
  Symbols symbols;
  size_t lost = 0;
  bool out_of_room = false;
  for (const MapEntry& e : read_entries(bpf, "counts")) {
    int pid = static_cast<int>(field<uint32_t>(e.key, kPid));
    int user_id = field<int32_t>(e.key, kUserStack);
    int kernel_id = field<int32_t>(e.key, kKernelStack);
    std::string comm = text_field(e.key, kComm, kCommLen);

    std::vector<StackFrame> path{{comm, "user"}};
    if (profile.user_stacks)
      append_stack(bpf, user_id, "user", "[Missed User Stack]",
                   [&](uint64_t a) { return symbols.user(pid, a); }, path);
    if (profile.kernel_stacks)
      append_stack(bpf, kernel_id, "kernel", "[Missed Kernel Stack]",
                   [&](uint64_t a) { return symbols.kernel(a); }, path);
    for (int id : {user_id, kernel_id})
      if (stack_lost(id)) {
        lost++;
        out_of_room = out_of_room || id == -ENOMEM;
      }
    graph.add(path, field<uint64_t>(e.value, 0));
  }
  if (lost)
    pmNotifyErr(LOG_WARNING, "profile: %zu stack trace(s) could not be recorded%s", lost,
                out_of_room ? "; consider a larger stack_storage_size" : "");
  pmNotifyErr(LOG_INFO, "profile: stopped, %llu samples",
              static_cast<unsigned long long>(graph.total()));
  return graph.json();
}

int control(ebpf::BPF& bpf, Profile& profile, const std::string& command) {
  std::lock_guard<std::mutex> hold(profile.lock);
  if (command == "start") {
    if (profile.status == "started") {
      pmNotifyErr(LOG_WARNING, "profile: already started");
      return 0;
    }
    clear_samples(bpf);
    profile.data = "null";
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
    set_profiling(bpf, 0);
    profile.data = flame_graph_json(bpf, profile);
    clear_samples(bpf);
    profile.status = "stopped";
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

ModuleSpec profile() {
  auto state = std::make_shared<Profile>();
  MetricSpec metric;
  metric.name = "proc.profile";
  metric.type = PM_TYPE_STRING;
  metric.semantics = PM_SEM_INSTANT;
  metric.units = no_units();
  metric.has_instances = false;
  metric.oneline = "stack traces";
  metric.help =
      "CPU profile as a flame-graph tree in JSON: {\"status\": \"stopped\"|\"started\", "
      "\"data\": null|tree}, each tree node {\"name\", \"libtype\" (\"user\", \"kernel\"), "
      "\"value\" (samples at or below it), \"children\"}; below the root, one node per "
      "command name, then its user frames, then its kernel frames, outermost first. "
      "'pmstore bcc.proc.profile start' clears the samples and starts sampling (a software "
      "CPU-clock perf event, sample_frequency times a second on each CPU); "
      "'pmstore bcc.proc.profile stop' stops and publishes the tree. Between the two the "
      "data is null.";
  metric.read = [state](ebpf::BPF&, std::vector<Sample>& out) {
    std::lock_guard<std::mutex> hold(state->lock);
    out.push_back({"", R"({"status": ")" + state->status + R"(", "data": )" + state->data + "}"});
  };
  metric.store = [state](ebpf::BPF& bpf, const std::string&, const Value& value) {
    const std::string* command = std::get_if<std::string>(&value);
    return command ? control(bpf, *state, *command) : PM_ERR_BADSTORE;
  };

  return ModuleSpec("profile")
      .summary("on-demand CPU profile of sampled stacks")
      .program("profile.bpf")
      .option(text_option("process", "profile only these processes (names, pids, regexes)"))
      .option(flag_option("user_stacks_only", "record user stacks only"))
      .option(flag_option("kernel_stacks_only", "record kernel stacks only"))
      .option(number_option("stack_storage_size", 16384,
                            "stack traces the kernel keeps while profiling", 1, 1u << 20))
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
      .on_configure([state](const ModuleOptions& o) {
        if (o.flag("user_stacks_only") && o.flag("kernel_stacks_only"))
          throw config::ConfigError(
              "user_stacks_only and kernel_stacks_only cannot both be True");
        cpu_option(o);
        state->user_stacks = !o.flag("kernel_stacks_only");
        state->kernel_stacks = !o.flag("user_stacks_only");
      })
      .probe("sample", {perf_event("software:cpu-clock")})
      .perf_sampling([](const ModuleOptions& o) {
        PerfSampling s;
        s.frequency = o.number("sample_frequency");
        if (s.frequency == 0) s.period = o.number("sample_period");
        s.cpu = cpu_option(o);
        return s;
      })
      .metric(metric);
}

const bool registered = register_module("profile", profile);

}  // namespace
