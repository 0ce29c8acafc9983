#include "module/module.h"

#include <pcp/pmapi.h>
#include <pcp/pmda.h>

#include <cstdio>
#include <exception>

#include "module/collector.h"

namespace bcc {

namespace {

const char* kRearmingFailed =
    "re-arming failed; tried again when a file its probes are on changes (is installed again)";

ModuleLog pcp_log(const std::string& name) {
  return [name](int priority, const std::string& line) {
    pmNotifyErr(priority, "module [%s]: %s", name.c_str(), line.c_str());
  };
}

}  // namespace

Module::Module(config::ModuleSection section, std::string prefix, std::string problem)
    : section_(std::move(section)),
      prefix_(std::move(prefix)),
      log_(pcp_log(section_.name)),
      pump_(log_) {
  fail(std::move(problem));
}

Module::Module(config::ModuleSection section, std::string prefix, ModuleSpec spec,
               ModuleOptions options)
    : section_(std::move(section)),
      prefix_(std::move(prefix)),
      spec_(std::move(spec)),
      options_(std::move(options)),
      log_(pcp_log(section_.name)),
      pump_(log_) {
  try {
    spec_->configure(*options_);
  } catch (const config::ConfigError& e) {
    throw config::ConfigError("[" + section_.name + "] " + e.what());
  }
  std::unique_ptr<ProcessFilter> filter = process_filter_of(section_, *spec_, *options_);
  if (filter)
    following_ = ProcessFollowing(std::move(filter), spec_->process_arming(),
                                  options_->text(spec_->process_option()), log_);
  build_settings_.name = section_.name;
}

Module::~Module() { stop(); }

void Module::fail(std::string reason) {
  status_.fail(std::move(reason));
  log_(LOG_ERR, status_.reason());
}

void Module::postpone() {
  status_.postpone(following_.pattern());
  log_(LOG_INFO, status_.reason());
}

bool Module::start(const std::string& modules_dir, const KernelProbes& kernel,
                   bool live_processes) {
  if (!spec_) return false;
  build_settings_.modules_dir = modules_dir;
  build_settings_.kernel = &kernel;
  live_processes_ = live_processes;
  std::vector<int> pids;
  if (following_.arms_per_process()) {
    pids = following_.pids_to_arm(following_.survey());
    if (pids.empty()) {
      if (!live_processes_) {
        fail("no process matches '" + following_.pattern() +
             "' (set [pmda] process_refresh to wait for one)");
        return false;
      }
      postpone();
      return true;
    }
  }
  // nothing a module does at start may end the thread that starts it
  try {
    return install(build(pids));
  } catch (const std::exception& e) {
    stop();
    fail(e.what());
    return false;
  }
}

Module::Build Module::build(const std::vector<int>& pids) const {
  return ProgramBuilder(*spec_, *options_, build_settings_, log_).build(pids);
}

bool Module::install(Build b) {
  following_.armed_for(b.pids);
  missing_ = std::move(b.missing);
  compile_seconds_ = b.compile_seconds;
  compiled_against_ = b.compiled_against;
  if (!b.error.empty()) {
    stop();
    fail(b.error);
    return false;
  }
  program_ = std::move(b.program);
  read_entry_counts_.clear();  // they were the old program's
  set_used(std::move(b.used));
  map_names_ = std::move(b.map_names);
  std::string error = after_attach();
  if (!error.empty()) {
    stop();
    fail(error);
    return false;
  }
  std::vector<std::string> missing_names;
  for (const auto& [probe, why] : missing_) missing_names.push_back(probe);
  if (spec_->collector()) spec_->collector()->running_without(missing_names);
  following_.watch_binaries(used_);
  std::vector<std::string> idle;
  for (const MetricSpec& m : spec_->metrics())
    if (!serves(m)) idle.push_back(prefix_ + m.name);
  status_.run(missing_, idle);
  char took[32];
  snprintf(took, sizeof took, "%.2f", compile_seconds_);
  log_(LOG_INFO, std::string(state_name(status_.state())) + " in " + took + "s against " +
                     compiled_against_ + ", probes: " + probes_used());
  if (!status_.reason().empty()) log_(LOG_WARNING, status_.reason());
  return true;
}

std::string Module::after_attach() {
  try {
    return attach_readers();
  } catch (const std::exception& e) {
    return e.what();  // a map the program should have and has not
  }
}

std::string Module::attach_readers() {
  std::string error = pump_.start(*program_, spec_->perf_buffers(), *options_);
  if (!error.empty()) return error;
  if (following_.follows() && !following_.arms_per_process())
    following_.update_filter_map(*program_, following_.survey());
  if (spec_->collector()) return spec_->collector()->attached(*program_);
  return "";
}

Module::ProcessSurvey Module::survey_processes() const { return following_.survey(); }

std::optional<Module::Refresh> Module::plan_refresh(const ProcessSurvey& survey) {
  if (!build_settings_.kernel) return std::nullopt;  // never started
  if (following_.follows() && !following_.arms_per_process() && program_) {
    try {
      following_.update_filter_map(*program_, survey);
    } catch (const std::exception& e) {
      log_(LOG_ERR, std::string("following processes: ") + e.what());
    }
  }
  ProcessFollowing::Plan plan = following_.plan(survey);
  switch (plan.action) {
    case ProcessFollowing::Plan::keep:
      return std::nullopt;
    case ProcessFollowing::Plan::postpone:
      stop();
      set_used({});
      missing_.clear();
      following_.armed_for({});
      postpone();
      return std::nullopt;
    case ProcessFollowing::Plan::rearm:
      break;
  }
  if (plan.replaced_binary.empty()) {
    log_(LOG_INFO, "re-arming for " + std::to_string(plan.pids.size()) +
                       " process(es), first pid " + std::to_string(plan.pids.front()));
    return Refresh{std::move(plan.pids), ""};
  }
  // A uprobe stays on the inode it was attached to: once its library is
  // replaced (an upgrade renames a new file over it), processes that start
  // map the new file and the probe never fires for them. Re-armed on the
  // file the path names now; processes still running the old copy are no
  // longer counted (they run code that is gone from disk, until restarted).
  log_(LOG_WARNING, plan.replaced_binary +
                        " was replaced (or removed) while probes were attached to it: "
                        "re-arming on the file it names now");
  return Refresh{std::move(plan.pids), plan.replaced_binary};
}

void Module::apply_refresh(const Refresh& refresh, Build build) {
  auto watched = following_.watched_binaries();  // stop() forgets them
  stop();
  set_used({});
  missing_.clear();
  if (!install(std::move(build))) {
    following_.rearming_failed(std::move(watched));
    log_(LOG_WARNING, kRearmingFailed);
    return;
  }
  if (!refresh.replaced_binary.empty()) status_.rearmed_on_replaced(refresh.replaced_binary);
}

void Module::refresh_failed() {
  following_.rearming_failed(following_.watched_binaries());
  log_(LOG_WARNING, kRearmingFailed);
}

void Module::stop() {
  pump_.stop();
  program_.reset();
  program_fds_.clear();  // closed with the program
  following_.detached();
  status_.detach();
}

std::vector<Module::LoadedMap> Module::loaded_maps() {
  std::vector<LoadedMap> out;
  if (!program_) return out;
  for (const std::string& name : map_names_) {
    auto it = program_->maps().find(name);
    if (it == program_->maps().end()) continue;
    try {
      out.push_back({name, it->second, program_->info(name)});
    } catch (const std::exception&) {
      // a map the kernel will not describe has no usage to show
    }
  }
  return out;
}

std::optional<uint64_t> Module::entries_read_since(
    const std::string& map, std::chrono::steady_clock::time_point since) const {
  if (!program_ || read_began_ < since) return std::nullopt;
  auto it = read_entry_counts_.find(map);
  if (it == read_entry_counts_.end()) return std::nullopt;
  return it->second;
}

void Module::set_used(std::vector<std::pair<std::string, ProbeAlternative>> used) {
  used_ = std::move(used);
  probes_used_.clear();
  program_fds_.clear();
  for (const auto& [probe, alt] : used_) {
    probes_used_ += (probes_used_.empty() ? "" : ", ") + probe + "=" + alt.describe();
    int fd = program_ ? program_->function_fd(alt.function_name()) : -1;
    if (fd >= 0) program_fds_.emplace_back(alt.function_name(), fd);
  }
}

const std::vector<MetricSpec>& Module::metrics() const {
  static const std::vector<MetricSpec> none;
  return spec_ ? spec_->metrics() : none;
}

std::string Module::instances_help() const {
  if (!spec_) return "";
  if (!spec_->instances_help().empty()) return spec_->instances_help();
  if (instance_labels() == InstanceLabels::histogram)
    return "log2 histogram buckets of the " + section_.name +
           " module, named \"low-high\" by their bounds";
  return "instances of the " + section_.name + " module";
}

bool Module::serves(const MetricSpec& metric) const {
  for (const std::string& probe : metric.needs_probes)
    for (const auto& [name, why] : missing_)
      if (name == probe) return false;
  return true;
}

int Module::store(size_t item, const std::string& instance, const Value& value) {
  if (item >= metrics().size() || !metrics()[item].storable || !spec_->collector())
    return PM_ERR_PERMISSION;
  if (!program_) return PM_ERR_AGAIN;  // not running: nothing to control
  try {
    return spec_->collector()->store(*program_, metrics()[item].name, instance, value);
  } catch (const std::exception& e) {
    log_(LOG_ERR, "storing into " + metrics()[item].name + ": " + e.what());
    return PM_ERR_BADSTORE;
  }
}

std::string Module::help_note() const {
  if (!program_) return "";
  std::string note = "Probes on this kernel: " + probes_used() + ".";
  for (const auto& [probe, why] : missing_)
    note += " Missing probe '" + probe + "': " + why + ".";
  return note;
}

InstanceLabels Module::instance_labels() const {
  return spec_ ? spec_->instance_labels() : InstanceLabels::none;
}

bool Module::has_instances() const { return spec_ && spec_->has_instances(); }

bool Module::instance_ids_from_names() const { return spec_ && spec_->ids_from_names(); }

void Module::read(std::vector<std::vector<Sample>>& out) {
  out.assign(metrics().size(), {});
  if (!program_) return;
  std::vector<bool> served;
  for (const MetricSpec& m : metrics()) served.push_back(serves(m));
  read_began_ = std::chrono::steady_clock::now();
  for (const FetchError& error :
       fetch_values(*spec_, *program_, served, out, &read_entry_counts_)) {
    // logged once per distinct error, not at every fetch
    std::string& last = error.metric.empty() ? last_hook_error_ : last_read_error_;
    if (last == error.what) continue;
    last = error.what;
    if (error.metric.empty())
      log_(LOG_ERR, "collecting: " + error.what);
    else
      log_(LOG_ERR, "reading " + error.metric + ": " + error.what);
  }
}

}  // namespace bcc
