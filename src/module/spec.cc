#include "module/spec.h"

#include "config/ini.h"
#include "module/collector.h"
#include "module/options.h"
#include "module/port_filter.h"

namespace bcc {

OptionSpec flag_option(std::string name, std::string help) {
  return {std::move(name), OptionKind::flag, "False", std::move(help)};
}
OptionSpec number_option(std::string name, uint64_t default_value, std::string help, uint64_t min,
                         uint64_t max) {
  return {std::move(name), OptionKind::number, std::to_string(default_value), std::move(help), min,
          max};
}
OptionSpec unset_number_option(std::string name, std::string help, uint64_t min, uint64_t max) {
  return {std::move(name), OptionKind::number, "", std::move(help), min, max};
}
OptionSpec text_option(std::string name, std::string help) {
  return {std::move(name), OptionKind::text, "", std::move(help)};
}
OptionSpec list_option(std::string name, std::string help) {
  return {std::move(name), OptionKind::list, "", std::move(help)};
}

MetricSpec make_metric(std::string name, int type, int semantics, pmUnits units,
                       std::string oneline, std::string help) {
  MetricSpec m;
  m.name = std::move(name);
  m.type = type;
  m.semantics = semantics;
  m.units = units;
  m.oneline = std::move(oneline);
  m.help = std::move(help);
  return m;
}

pmUnits time_units(int scale) {
  pmUnits u{};
  u.dimTime = 1;
  u.scaleTime = scale;
  return u;
}
pmUnits count_units() {
  pmUnits u{};
  u.dimCount = 1;
  u.scaleCount = PM_COUNT_ONE;
  return u;
}
pmUnits byte_units() {
  pmUnits u{};
  u.dimSpace = 1;
  u.scaleSpace = PM_SPACE_BYTE;
  return u;
}
pmUnits no_units() { return pmUnits{}; }

ModuleSpec::ModuleSpec(std::string type) : type_(std::move(type)) {}

ModuleSpec& ModuleSpec::summary(std::string text) {
  summary_ = std::move(text);
  return *this;
}
ModuleSpec& ModuleSpec::program(std::string file) {
  program_ = std::move(file);
  return *this;
}
ModuleSpec& ModuleSpec::program_text(std::string source, std::string origin) {
  has_program_text_ = true;
  program_text_ = std::move(source);
  program_origin_ = std::move(origin);
  return *this;
}
ModuleSpec& ModuleSpec::source_policy(loader::SourcePolicy policy, std::string include_dir) {
  policy_ = policy;
  include_dir_ = std::move(include_dir);
  return *this;
}

ModuleSpec& ModuleSpec::option(OptionSpec option) {
  options_.push_back(std::move(option));
  return *this;
}
ModuleSpec& ModuleSpec::probe(std::string name, std::vector<ProbeAlternative> chain) {
  probes_.push_back({"", true, ProbeChain{std::move(name), std::move(chain)}});
  return *this;
}
ModuleSpec& ModuleSpec::probe_if(std::string flag, std::string name,
                                 std::vector<ProbeAlternative> chain) {
  probes_.push_back({std::move(flag), true, ProbeChain{std::move(name), std::move(chain)}});
  return *this;
}
ModuleSpec& ModuleSpec::probe_unless(std::string flag, std::string name,
                                     std::vector<ProbeAlternative> chain) {
  probes_.push_back({std::move(flag), false, ProbeChain{std::move(name), std::move(chain)}});
  return *this;
}
ModuleSpec& ModuleSpec::optional_probe(std::string name, std::vector<ProbeAlternative> chain) {
  probes_.push_back({"", true, ProbeChain{std::move(name), std::move(chain), true}});
  return *this;
}
ModuleSpec& ModuleSpec::perf_sampling(std::function<PerfSampling(const ModuleOptions&)> fn) {
  perf_sampling_ = std::move(fn);
  return *this;
}
ModuleSpec& ModuleSpec::define_if(std::string flag, std::string macro) {
  defines_.emplace_back(std::move(flag), std::move(macro));
  return *this;
}
ModuleSpec& ModuleSpec::defines_from(
    std::function<std::vector<std::string>(const ModuleOptions&)> fn) {
  define_fns_.push_back(std::move(fn));
  return *this;
}
ModuleSpec& ModuleSpec::btf_offset(std::string macro, std::string struct_name, std::string field) {
  btf_offsets_.push_back({std::move(macro), std::move(struct_name), std::move(field)});
  return *this;
}
ModuleSpec& ModuleSpec::events(std::string table, std::string pages_option) {
  if (!pages_option.empty())
    checks_.push_back([pages_option](const ModuleOptions& options) {
      uint64_t pages = options.number(pages_option);
      if (pages == 0 || (pages & (pages - 1)) != 0)
        throw config::ConfigError(pages_option + " = " + std::to_string(pages) +
                                  ": expected a power of two (1, 2, 4, ... pages)");
    });
  perf_buffers_.push_back({std::move(table), PerfHandler(), nullptr, std::move(pages_option)});
  deliver_events_to_collector();
  return *this;
}
ModuleSpec& ModuleSpec::collector(std::shared_ptr<Collector> collector) {
  collector_ = std::move(collector);
  deliver_events_to_collector();
  return *this;
}
void ModuleSpec::deliver_events_to_collector() {
  if (!collector_) return;
  for (PerfBuffer& buffer : perf_buffers_) {
    if (!buffer.on_event)
      buffer.on_event = [collector = collector_, table = buffer.table](const void* data, int size) {
        collector->event(table, data, size);
      };
    if (!buffer.on_lost)
      buffer.on_lost = [collector = collector_, table = buffer.table](uint64_t count) {
        collector->lost(table, count);
      };
  }
}
void ModuleSpec::configure(const ModuleOptions& options) const {
  for (const auto& check : checks_) check(options);
  if (collector_) collector_->configure(options);
}
ModuleSpec& ModuleSpec::port_filter(std::string option, std::string macro, std::string help) {
  options_.push_back(list_option(option, std::move(help)));
  checks_.push_back([option](const ModuleOptions& options) {
    try {
      parse_ports(options.list(option));
    } catch (const std::invalid_argument& e) {
      throw config::ConfigError(option + ": " + e.what());
    }
  });
  define_fns_.push_back([option, macro](const ModuleOptions& options) {
    std::string define = port_macro(macro, parse_ports(options.list(option)));
    return define.empty() ? std::vector<std::string>{} : std::vector<std::string>{define};
  });
  return *this;
}
ModuleSpec& ModuleSpec::instance_ids_from_names() {
  ids_from_names_ = true;
  return *this;
}
void ModuleSpec::declare_option(OptionSpec option) {
  for (const OptionSpec& o : options_)
    if (o.name == option.name) return;
  options_.push_back(std::move(option));
}
void ModuleSpec::declare_process_narrowing() {
  declare_option(text_option(kProcessUserOption,
                             "only processes of these users (names or uids, a comma list) "
                             "among those the process option matches"));
  declare_option(text_option(kProcessExeOption,
                             "only processes running these executables (absolute paths, "
                             "shell wildcards allowed, a comma list) among those the "
                             "process option matches"));
}
ModuleSpec& ModuleSpec::process_filter(std::string option) {
  declare_option(text_option(option, "only these processes: a comma list of pids, command "
                                     "names, or regular expressions on the command line"));
  declare_process_narrowing();
  process_option_ = std::move(option);
  return *this;
}
ModuleSpec& ModuleSpec::process_required(std::string why) {
  checks_.push_back([type = type_, option = process_option_,
                              why = std::move(why)](const ModuleOptions& options) {
    if (!options.is_set(option))
      throw config::ConfigError(type + ": " + option + " is mandatory (" + why + ")");
  });
  return *this;
}
ModuleSpec& ModuleSpec::follow_processes(ProcessArming arming, std::string option) {
  arming_ = arming;
  declare_process_narrowing();
  process_option_ = std::move(option);
  return *this;
}
ModuleSpec& ModuleSpec::probes_from(ProbeSource source) {
  probe_sources_.push_back(std::move(source));
  return *this;
}

ModuleSpec& ModuleSpec::metric(MetricSpec metric) {
  metrics_.push_back(std::move(metric));
  return *this;
}
ModuleSpec& ModuleSpec::instances_help(std::string text) {
  instances_help_ = std::move(text);
  return *this;
}

bool ModuleSpec::has_instances() const {
  for (const MetricSpec& m : metrics_)
    if (m.has_instances) return true;
  return false;
}

InstanceLabels ModuleSpec::instance_labels() const {
  for (const MetricSpec& m : metrics_)
    if (m.labels != InstanceLabels::none) return m.labels;
  return InstanceLabels::none;
}

std::vector<ProbeChain> ModuleSpec::probes(const ModuleOptions& options,
                                           const std::vector<int>& pids) const {
  std::vector<ProbeChain> out;
  for (const Conditional& p : probes_)
    if (p.flag.empty() || options.enabled(p.flag) == p.when) out.push_back(p.chain);
  for (const ProbeSource& source : probe_sources_)
    for (ProbeChain& chain : source(options, pids)) out.push_back(std::move(chain));
  if (collector_)
    for (ProbeChain& chain : collector_->probes(pids)) out.push_back(std::move(chain));
  if (perf_sampling_) {
    PerfSampling sampling = perf_sampling_(options);
    for (ProbeChain& chain : out)
      for (ProbeAlternative& alt : chain.alternatives)
        if (alt.type == ProbeType::perf_event) alt.sampling = sampling;
  }
  return out;
}

std::vector<std::string> ModuleSpec::defines(const ModuleOptions& options,
                                             const std::vector<int>& pids) const {
  std::vector<std::string> out;
  for (const auto& [flag, macro] : defines_)
    if (flag.empty() || options.enabled(flag)) out.push_back(macro);
  for (const auto& fn : define_fns_)
    for (std::string& d : fn(options)) out.push_back(std::move(d));
  if (collector_)
    for (std::string& d : collector_->defines(pids)) out.push_back(std::move(d));
  if (arming_ == ProcessArming::none && !process_option_.empty() &&
      options.is_set(process_option_))
    out.push_back("FILTER_PIDS");
  return out;
}

}  // namespace bcc
