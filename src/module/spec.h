// What a module declares: its program, options, probe chains and metrics.
// A module file builds one ModuleSpec; shared code does everything else.
#pragma once

#include <pcp/pmapi.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "bpf/maps.h"
#include "bpf/probe.h"
#include "loader/protocol.h"

namespace bcc {

class Collector;
class ModuleOptions;

// One metric value, as the PMDA hands it to pmcd.
using Value = std::variant<uint64_t, int64_t, double, std::string>;

// One instance's value of one metric; the instance is "" for singular metrics.
struct Sample {
  std::string instance;
  Value value;
};

// Reads a metric's current values out of the loaded program's maps.
using Reader = std::function<void(Maps& maps, std::vector<Sample>& out)>;

// Called for each record a module's perf buffer delivers, on the thread
// that drains it (the module's collector's event()).
using PerfHandler = std::function<void(const void* data, int size)>;

// Which labels the module's instance domain and its instances carry.
enum class InstanceLabels { none, histogram };

struct MetricSpec {
  std::string name;  // below the prefix: "runq.latency"
  int type = PM_TYPE_U64;
  int semantics = PM_SEM_COUNTER;
  pmUnits units{};
  std::string oneline;
  std::string help;
  bool has_instances = true;
  InstanceLabels labels = InstanceLabels::none;
  Reader read;
  // pmstore may set it: the values go to the module's collector's store()
  bool storable = false;
  // Optional probes (ModuleSpec::optional_probe) the values depend on: the
  // metric has no values when one of them is missing on the running kernel.
  std::vector<std::string> needs_probes;
};

// How a module's probes depend on the processes its `process` option matches.
enum class ProcessArming {
  none,         // probes are global; a kernel-side pid map filters (process_filter)
  each_match,   // probes name each matching pid (uprobes limited to processes)
  first_match,  // probes name one pid (USDT): the first match is followed
};

// A module's probes computed from its options and the pids it is armed for
// (empty when it follows no process).
using ProbeSource =
    std::function<std::vector<ProbeChain>(const ModuleOptions&, const std::vector<int>& pids)>;

enum class OptionKind { flag, number, text, list };

struct OptionSpec {
  std::string name;
  OptionKind kind = OptionKind::text;
  std::string default_value;  // as it would be written in bcc.conf; "" = unset
  std::string help;
  uint64_t min = 0;
  uint64_t max = UINT64_MAX;
};

OptionSpec flag_option(std::string name, std::string help);  // default False
OptionSpec number_option(std::string name, uint64_t default_value, std::string help,
                         uint64_t min = 0, uint64_t max = UINT32_MAX);
// A number that is unset unless the section gives one (pmdabpf's `pid`, `uid`):
// ModuleOptions::is_set says whether it was given.
OptionSpec unset_number_option(std::string name, std::string help, uint64_t min = 0,
                               uint64_t max = UINT32_MAX);
OptionSpec text_option(std::string name, std::string help);
OptionSpec list_option(std::string name, std::string help);

// A metric's description; its reader, instances and labels are set after.
MetricSpec make_metric(std::string name, int type, int semantics, pmUnits units,
                       std::string oneline, std::string help);

// pmUnits helpers for declarations.
pmUnits time_units(int scale);  // PM_TIME_USEC, PM_TIME_NSEC, ...
pmUnits count_units();
pmUnits byte_units();
pmUnits no_units();

class ModuleSpec {
 public:
  explicit ModuleSpec(std::string type);

  ModuleSpec& summary(std::string text);
  ModuleSpec& program(std::string file);  // in the agent's modules/ folder
  // The program as text rather than a file (custom programs, registrations);
  // `origin` names it in compile errors instead of libbcc's "/virtual/main.c".
  ModuleSpec& program_text(std::string source, std::string origin);
  // What the program's text may include and declare (loader/protocol.h);
  // `include_dir`: the folder a custom program's own "file" includes come from.
  ModuleSpec& source_policy(loader::SourcePolicy policy, std::string include_dir = "");
  ModuleSpec& option(OptionSpec option);
  ModuleSpec& probe(std::string name, std::vector<ProbeAlternative> chain);
  // A probe or -D flag that exists only when an option is enabled (a flag
  // that is True, any other option that is set) — or, with _unless, is not.
  ModuleSpec& probe_if(std::string flag, std::string name, std::vector<ProbeAlternative> chain);
  ModuleSpec& probe_unless(std::string flag, std::string name,
                           std::vector<ProbeAlternative> chain);
  // A probe the module can run without: when the kernel offers none of its
  // alternatives (or attaching it fails), the module runs partially (state
  // "partial"), its reason says "running without probe 'NAME': why", and
  // the metrics that need it (MetricSpec::needs_probes) have no values.
  // Chains from probes_from or the collector may be optional the same way.
  ModuleSpec& optional_probe(std::string name, std::vector<ProbeAlternative> chain);
  // Sampling of the module's perf_event probes, from its options.
  ModuleSpec& perf_sampling(std::function<PerfSampling(const ModuleOptions&)> fn);
  ModuleSpec& define_if(std::string flag, std::string macro);
  // Extra -D macros computed from the options ("MAX_ARGS=20", port lists...).
  ModuleSpec& defines_from(std::function<std::vector<std::string>(const ModuleOptions&)> fn);
  // -D<macro>=<byte offset> of a kernel struct field, read from the running
  // kernel's BTF; the module fails to start, saying which, if it is missing.
  ModuleSpec& btf_offset(std::string macro, std::string struct_name, std::string field);
  // A perf buffer (BPF_PERF_OUTPUT) drained by a thread of its own, whose
  // records go to the collector's event(); its size in pages comes from the
  // option `pages_option` if given (which must then be a power of two),
  // else 64.
  ModuleSpec& events(std::string table, std::string pages_option = "");
  // The module's run-time half (module/collector.h): its state, the
  // values of the metrics declared without a reader, and what it adds to
  // the program (defines, probes) from what it kept at configure.
  ModuleSpec& collector(std::shared_ptr<Collector> collector);
  // A list option of ports (`dport`, `lport`); when set, the program gets
  // -D<macro>(p)=... testing a port against the list (see port_filter.h).
  ModuleSpec& port_filter(std::string option, std::string macro, std::string help);
  // Instance ids are the number each instance name starts with (a pid, as in
  // "001379 /usr/sbin/sshd"), as PCP's proc agent numbers processes, instead
  // of ids the agent assigns and saves.
  ModuleSpec& instance_ids_from_names();
  // Limits the program to the processes named by the option (see
  // bpf/process_filter.h) when it is set: defines FILTER_PIDS and keeps the
  // program's `filter_pids` hash (u32 tgid -> u8) filled with the matching
  // pids, rescanned every [pmda] process_refresh seconds. Declares the
  // option (text) unless the module did, and process_user / process_exe,
  // which narrow its matches (as with follow_processes).
  ModuleSpec& process_filter(std::string option = "process");
  static constexpr const char* kProcessUserOption = "process_user";
  static constexpr const char* kProcessExeOption = "process_exe";
  // Probes that name pids: while the option is set the module is armed only
  // when processes match, and re-armed (recompiled and attached) whenever
  // the matching set changes at a [pmda] process_refresh rescan; with none
  // it waits ("postponed") and its metrics have no values.
  ModuleSpec& follow_processes(ProcessArming arming, std::string option = "process");
  // After follow_processes: its option must be set (probes that cannot be
  // global, USDT); a section without it is a configuration error saying so
  // and `why`.
  ModuleSpec& process_required(std::string why);
  // Probes computed from the options (and pids), after the declared ones.
  ModuleSpec& probes_from(ProbeSource source);
  ModuleSpec& metric(MetricSpec metric);
  ModuleSpec& instances_help(std::string text);

  const std::string& type() const { return type_; }
  const std::string& summary() const { return summary_; }
  const std::string& program() const { return program_; }
  bool has_program_text() const { return has_program_text_; }
  const std::string& program_text() const { return program_text_; }
  const std::string& program_origin() const { return program_origin_; }
  loader::SourcePolicy policy() const { return policy_; }
  const std::string& include_dir() const { return include_dir_; }
  const std::vector<OptionSpec>& options() const { return options_; }
  const std::vector<MetricSpec>& metrics() const { return metrics_; }
  const std::string& instances_help() const { return instances_help_; }
  bool has_instances() const;
  InstanceLabels instance_labels() const;

  // The probes and -D flags for a section's option values: the declared
  // ones, then the collector's (Collector::defines, ::probes), computed from
  // what it kept at configure. Call defines before probes for the same pids.
  std::vector<ProbeChain> probes(const ModuleOptions& options,
                                 const std::vector<int>& pids = {}) const;
  std::vector<std::string> defines(const ModuleOptions& options,
                                   const std::vector<int>& pids = {}) const;

  struct BtfOffset {
    std::string macro, struct_name, field;
  };
  struct PerfBuffer {
    std::string table;
    PerfHandler on_event;  // the collector's event()
    std::function<void(uint64_t)> on_lost;  // the collector's lost()
    std::string pages_option;
  };
  // The section's options checked (the declaration's own checks: ports,
  // page counts, a mandatory process) and handed to its collector. Throws
  // config::ConfigError.
  void configure(const ModuleOptions& options) const;
  const std::shared_ptr<Collector>& collector() const { return collector_; }
  const std::vector<BtfOffset>& btf_offsets() const { return btf_offsets_; }
  const std::vector<PerfBuffer>& perf_buffers() const { return perf_buffers_; }
  const std::string& process_option() const { return process_option_; }
  ProcessArming process_arming() const { return arming_; }
  bool ids_from_names() const { return ids_from_names_; }

 private:
  struct Conditional {
    std::string flag;  // "" = always
    bool when = true;  // the flag's value that enables the probe
    ProbeChain chain;
  };
  std::string type_;
  std::string summary_;
  std::string program_;
  bool has_program_text_ = false;
  std::string program_text_;
  std::string program_origin_;
  loader::SourcePolicy policy_ = loader::SourcePolicy::module;
  std::string include_dir_;
  std::string instances_help_;
  std::vector<OptionSpec> options_;
  std::vector<Conditional> probes_;
  std::vector<std::pair<std::string, std::string>> defines_;  // flag, macro
  std::vector<std::function<std::vector<std::string>(const ModuleOptions&)>> define_fns_;
  std::function<PerfSampling(const ModuleOptions&)> perf_sampling_;
  // the declaration's own checks of the options, run by configure()
  std::vector<std::function<void(const ModuleOptions&)>> checks_;
  std::vector<BtfOffset> btf_offsets_;
  std::vector<PerfBuffer> perf_buffers_;
  void declare_option(OptionSpec option);  // unless the module declared one of that name
  void deliver_events_to_collector();     // the `events` buffers, once both are declared
  void declare_process_narrowing();
  std::string process_option_;
  ProcessArming arming_ = ProcessArming::none;
  std::vector<ProbeSource> probe_sources_;
  bool ids_from_names_ = false;
  std::vector<MetricSpec> metrics_;
  std::shared_ptr<Collector> collector_;
};

}  // namespace bcc
