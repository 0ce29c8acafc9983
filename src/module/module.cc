#include "module/module.h"

#include <pcp/pmapi.h>
#include <pcp/pmda.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>

#include "bpf/tables.h"

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
  for (const auto& hook : spec_->configure_hooks()) {
    try {
      hook(*options_);
    } catch (const config::ConfigError& e) {
      throw config::ConfigError("[" + section_.name + "] " + e.what());
    }
  }
  const std::string& key = spec_->process_option();
  if (!key.empty() && options_->is_set(key)) {
    ProcessNarrowing narrowing;
    const char* user_key = ModuleSpec::kProcessUserOption;
    const char* exe_key = ModuleSpec::kProcessExeOption;
    with_option_context(user_key, [&] {
      if (options_->is_set(user_key)) narrowing.users = parse_process_users(options_->text(user_key));
    });
    with_option_context(exe_key, [&] {
      if (options_->is_set(exe_key)) narrowing.exes = parse_process_exes(options_->text(exe_key));
    });
    with_option_context(key, [&] { processes_.emplace(options_->text(key), std::move(narrowing)); });
  } else {
    for (const char* narrowing_key : {ModuleSpec::kProcessUserOption, ModuleSpec::kProcessExeOption})
      if (!key.empty() && options_->is_set(narrowing_key))
        with_option_context(narrowing_key, [&] {
          throw std::invalid_argument("narrows the '" + key + "' option, which is not set");
        });
  }
  build_settings_.name = section_.name;
}

// Runs `parse`, turning its std::invalid_argument into a ConfigError that
// names the file, line, section and key.
void Module::with_option_context(const std::string& key, const std::function<void()>& parse) {
  try {
    parse();
  } catch (const std::invalid_argument& e) {
    const config::Entry* entry = section_.section ? section_.section->find(key) : nullptr;
    throw config::ConfigError(section_.file + ":" + std::to_string(entry ? entry->line : 0) +
                              ": [" + section_.name + "] " + key + " = '" + options_->text(key) +
                              "': " + e.what());
  }
}

Module::~Module() { stop(); }

void Module::fail(std::string reason) {
  status_.fail(std::move(reason));
  log_(LOG_ERR, status_.reason());
}

bool Module::start(const std::string& modules_dir, const KernelProbes& kernel,
                   bool live_processes) {
  if (!spec_) return false;
  build_settings_.modules_dir = modules_dir;
  build_settings_.kernel = &kernel;
  live_processes_ = live_processes;
  std::vector<int> pids;
  if (spec_->process_arming() != ProcessArming::none && processes_) {
    pids = pids_to_arm(survey_processes());
    if (pids.empty()) {
      if (!live_processes_) {
        fail("no process matches '" + options_->text(spec_->process_option()) +
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
  armed_pids_ = b.pids;
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
  used_ = std::move(b.used);
  map_names_ = std::move(b.map_names);
  std::string error = after_attach();
  if (!error.empty()) {
    stop();
    fail(error);
    return false;
  }
  std::vector<std::string> missing_names;
  for (const auto& [probe, why] : missing_) missing_names.push_back(probe);
  for (const auto& hook : spec_->missing_probe_hooks()) hook(missing_names);
  armed_binaries_.clear();
  for (const auto& [probe, alt] : used_) {
    if (alt.type != ProbeType::uprobe && alt.type != ProbeType::uretprobe &&
        alt.type != ProbeType::usdt)
      continue;
    if (auto identity = file_identity(alt.binary()))
      armed_binaries_.emplace_back(alt.binary(), identity);
  }
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

void Module::postpone() {
  status_.postpone(options_->text(spec_->process_option()));
  log_(LOG_INFO, status_.reason());
}

Module::ProcessSurvey Module::survey_processes() const {
  ProcessSurvey survey;
  if (!processes_) return survey;
  for (const ProcessInfo& p : processes_->scan()) {
    survey.matching.push_back(p.pid);
    // thread ids too: tracepoints about tasks (sched_*) carry thread ids, and
    // a thread id never equals another live process's pid
    if (spec_->process_arming() == ProcessArming::none)
      for (int tid : thread_ids(p.pid)) survey.matching_tids.push_back(tid);
  }
  return survey;
}

std::vector<int> Module::pids_to_arm(const ProcessSurvey& survey) const {
  std::vector<int> pids = survey.matching;
  if (spec_->process_arming() == ProcessArming::first_match && pids.size() > 1) {
    if (pids.size() != matches_logged_)
      pmNotifyErr(LOG_INFO,
                  "module [%s]: %zu processes match '%s'; its probes follow one process: "
                  "the first, pid %d",
                  section_.name.c_str(), pids.size(),
                  options_->text(spec_->process_option()).c_str(), pids.front());
    matches_logged_ = pids.size();
    pids.resize(1);
  } else {
    matches_logged_ = pids.size();
  }
  return pids;
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
  if (processes_ && spec_->process_arming() == ProcessArming::none)
    update_filter_map(survey_processes());
  for (const auto& hook : spec_->attached_hooks()) {
    error = hook(*program_);
    if (!error.empty()) return error;
  }
  return "";
}

std::optional<Module::Refresh> Module::plan_refresh(const ProcessSurvey& survey) {
  if (!build_settings_.kernel) return std::nullopt;  // never started
  bool arms_per_process = processes_ && spec_->process_arming() != ProcessArming::none;
  if (processes_ && !arms_per_process && program_) {
    try {
      update_filter_map(survey);
    } catch (const std::exception& e) {
      log_(LOG_ERR, std::string("following processes: ") + e.what());
    }
  }
  std::vector<int> pids = arms_per_process ? pids_to_arm(survey) : armed_pids_;
  if (pids != armed_pids_) {
    // a module that failed to arm is tried again when the processes change
    if (pids.empty()) {
      stop();
      used_.clear();
      missing_.clear();
      armed_pids_.clear();
      postpone();
      return std::nullopt;
    }
    log_(LOG_INFO, "re-arming for " + std::to_string(pids.size()) + " process(es), first pid " +
                       std::to_string(pids.front()));
    return Refresh{std::move(pids), ""};
  }
  std::string replaced = replaced_binary();
  if (replaced.empty()) return std::nullopt;
  // A uprobe stays on the inode it was attached to: once its library is
  // replaced (an upgrade renames a new file over it), processes that start
  // map the new file and the probe never fires for them. Re-armed on the
  // file the path names now; processes still running the old copy are no
  // longer counted (they run code that is gone from disk, until restarted).
  log_(LOG_WARNING, replaced +
                        " was replaced (or removed) while probes were attached to it: "
                        "re-arming on the file it names now");
  return Refresh{std::move(pids), replaced};
}

void Module::apply_refresh(const Refresh& refresh, Build build) {
  auto watched = armed_binaries_;  // stop() forgets them
  stop();
  used_.clear();
  missing_.clear();
  if (!install(std::move(build))) {
    armed_binaries_ = std::move(watched);
    refresh_failed();
    return;
  }
  if (!refresh.replaced_binary.empty()) status_.rearmed_on_replaced(refresh.replaced_binary);
}

void Module::refresh_failed() {
  for (auto& [path, identity] : armed_binaries_) identity = file_identity(path);
  log_(LOG_WARNING, kRearmingFailed);
}

std::string Module::replaced_binary() const {
  for (const auto& [path, identity] : armed_binaries_) {
    if (file_identity(path) == identity) continue;
    // "/proc/PID/root/...": a process that just exited is the next rescan's
    // business, not a replaced file
    if (path.rfind("/proc/", 0) == 0) {
      std::string process_dir = path.substr(0, path.find('/', 6));
      if (access(process_dir.c_str(), F_OK) != 0) continue;
    }
    return path;
  }
  return "";
}

void Module::update_filter_map(const ProcessSurvey& survey) {
  if (!program_) return;
  const std::vector<int>& processes = survey.matching;
  std::vector<int> pids = survey.matching_tids;
  if (pids == followed_pids_ && scanned_) return;
  scanned_ = true;
  auto key = [](int pid) {
    uint32_t k = static_cast<uint32_t>(pid);
    return std::string(reinterpret_cast<const char*>(&k), sizeof k);
  };
  for (int pid : followed_pids_) delete_entry(*program_, "filter_pids", key(pid));
  for (int pid : pids) update_entry(*program_, "filter_pids", key(pid), std::string(1, '\1'));
  // a followed process starting threads changes this at will
  std::string note;
  if (following_log_.allow(&note)) {
    if (processes.empty())
      pmNotifyErr(LOG_INFO, "module [%s]: no process matches '%s' yet: activation postponed%s",
                  section_.name.c_str(), options_->text(spec_->process_option()).c_str(),
                  note.c_str());
    else
      pmNotifyErr(LOG_INFO, "module [%s]: following %zu process(es), first pid %d%s",
                  section_.name.c_str(), processes.size(), processes.front(), note.c_str());
  }
  followed_pids_ = std::move(pids);
}

void Module::stop() {
  pump_.stop();
  program_.reset();
  armed_binaries_.clear();
  followed_pids_.clear();
  scanned_ = false;
  status_.detach();
}

std::vector<std::pair<std::string, int>> Module::program_fds() {
  std::vector<std::pair<std::string, int>> out;
  if (!program_) return out;
  for (const auto& [probe, alt] : used_) {
    int fd = program_->function_fd(alt.function_name());
    if (fd >= 0) out.emplace_back(alt.function_name(), fd);
  }
  return out;
}

std::vector<std::pair<std::string, int>> Module::map_fds() {
  std::vector<std::pair<std::string, int>> out;
  if (!program_) return out;
  for (const std::string& name : map_names_) {
    auto it = program_->maps().find(name);
    if (it != program_->maps().end()) out.emplace_back(name, it->second);
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

std::string Module::probes_used() const {
  std::string out;
  for (const auto& [probe, alt] : used_)
    out += (out.empty() ? "" : ", ") + probe + "=" + alt.describe();
  return out;
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
  if (item >= metrics().size() || !metrics()[item].store) return PM_ERR_PERMISSION;
  if (!program_) return PM_ERR_AGAIN;  // not running: nothing to control
  try {
    return metrics()[item].store(*program_, instance, value);
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
      log_(LOG_ERR, "before reading: " + error.what);
    else
      log_(LOG_ERR, "reading " + error.metric + ": " + error.what);
  }
}

}  // namespace bcc
