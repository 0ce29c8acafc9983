#include "module/module.h"

#include <pcp/pmapi.h>
#include <pcp/pmda.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <exception>

#include "bpf/program_source.h"
#include "bpf/struct_offsets.h"
#include "bpf/tables.h"
#include "module/collector.h"

namespace bcc {

const char* state_name(ModuleState state) {
  switch (state) {
    case ModuleState::configured: return "configured";
    case ModuleState::active: return "active";
    case ModuleState::partial: return "partial";
    case ModuleState::postponed: return "postponed";
    case ModuleState::failed: return "failed";
  }
  return "?";
}

Module::Module(config::ModuleSection section, std::string prefix, std::string problem)
    : section_(std::move(section)), prefix_(std::move(prefix)) {
  fail(std::move(problem));
}

Module::Module(config::ModuleSection section, std::string prefix, ModuleSpec spec,
               ModuleOptions options)
    : section_(std::move(section)),
      prefix_(std::move(prefix)),
      spec_(std::move(spec)),
      options_(std::move(options)) {
  try {
    spec_->configure(*options_);
  } catch (const config::ConfigError& e) {
    throw config::ConfigError("[" + section_.name + "] " + e.what());
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
  state_ = ModuleState::failed;
  reason_ = std::move(reason);
  pmNotifyErr(LOG_ERR, "module [%s]: %s", section_.name.c_str(), reason_.c_str());
}

loader::BuildRequest Module::request(const std::string& source, std::vector<std::string> defines,
                                    const std::vector<ProbeAlternative>& attach) const {
  loader::BuildRequest r;
  r.name = section_.name;
  r.source = source;
  r.origin = spec_->program_origin().empty() ? spec_->program() : spec_->program_origin();
  r.defines = std::move(defines);
  for (const ProbeAlternative& alt : attach)
    if (alt.type == ProbeType::usdt) r.usdt.push_back(alt);
  r.attach = attach;
  r.maps = declared_maps(source);
  r.policy = spec_->policy();
  // the agent's own programs share headers in their folder (block_request.h)
  r.include_dir = r.policy == loader::SourcePolicy::module ? modules_dir_ : spec_->include_dir();
  r.kernel_headers = kernel_headers_name(kernel_headers_);
  return r;
}

void Module::try_build(const std::string& source, const std::vector<std::string>& base_defines,
                       const std::vector<int>& pids, std::set<ProbeAlternative>& failed,
                       bool& retry, Build& out) const {
  retry = false;
  out.missing.clear();
  std::vector<std::string> defines = base_defines;
  std::vector<std::pair<std::string, ProbeAlternative>> chosen;
  std::vector<bool> optional;
  for (const ProbeChain& chain : spec_->probes(*options_, pids)) {
    ProbeChoice choice = choose(chain, *kernel_, failed);
    if (!choice.index && chain.optional) {
      out.missing.emplace_back(chain.name, choice.why_none);
      continue;
    }
    if (!choice.index) {
      out.error = "probe '" + chain.name + "': no alternative works: " + choice.why_none;
      return;
    }
    const ProbeAlternative& alt = chain.alternatives[*choice.index];
    defines.push_back(chain.macro(alt));
    defines.push_back(chain.target_macro(alt));
    chosen.emplace_back(chain.name, alt);
    optional.push_back(chain.optional);
  }
  if (chosen.empty()) {
    out.error = "no probe of this module is available on the running kernel: " +
                describe(out.missing);
    return;
  }
  std::vector<ProbeAlternative> attach;
  for (const auto& [probe, alt] : chosen) attach.push_back(alt);
  BuildOutcome built = build_program(request(source, defines, attach), build_timeout_);
  out.compile_seconds = built.compile_seconds;
  out.compiled_against = built.kernel_headers;
  if (!built.compiler_output.empty() && spec_->policy() == loader::SourcePolicy::module)
    pmNotifyErr(LOG_INFO, "module [%s]: compiler said: %s", section_.name.c_str(),
                built.compiler_output.c_str());
  if (!built.error.empty()) {
    out.error = built.attach_errors.empty() && built.error.find("loader") == std::string::npos
                    ? "compile failed: " + built.error
                    : built.error;
    if (!built.kernel_headers.empty() && built.attach_errors.empty() &&
        out.error.find("compiled against") == std::string::npos)
      out.error += " [compiled against " + built.kernel_headers + "]";
    return;
  }
  std::vector<std::pair<std::string, ProbeAlternative>> attached;
  for (size_t i = 0; i < chosen.size(); i++) {
    const auto& [probe, alt] = chosen[i];
    const std::string& error = built.attach_errors[i];
    if (error.empty()) {
      attached.push_back(chosen[i]);
      continue;
    }
    if (optional[i]) {
      pmNotifyErr(LOG_WARNING, "module [%s]: probe '%s': %s failed: %s; running without it",
                  section_.name.c_str(), probe.c_str(), alt.describe().c_str(), error.c_str());
      out.missing.emplace_back(probe, alt.describe() + ": " + error);
      continue;
    }
    pmNotifyErr(LOG_WARNING, "module [%s]: probe '%s': %s failed: %s; trying the next",
                section_.name.c_str(), probe.c_str(), alt.describe().c_str(), error.c_str());
    failed.insert(alt);
    retry = true;
    out.error = "probe '" + probe + "': " + alt.describe() + ": " + error;
    return;
  }
  if (attached.empty()) {
    out.error = "no probe of this module could be attached: " + describe(out.missing);
    return;
  }
  out.program = std::move(built.program);
  out.used = std::move(attached);
  out.error.clear();
}

std::string Module::describe(const std::vector<std::pair<std::string, std::string>>& missing) {
  std::string out;
  for (const auto& [probe, why] : missing)
    out += (out.empty() ? "" : "; ") + ("probe '" + probe + "': ") + why;
  return out;
}

bool Module::start(const std::string& modules_dir, const KernelProbes& kernel,
                   bool live_processes) {
  if (!spec_) return false;
  modules_dir_ = modules_dir;
  kernel_ = &kernel;
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

std::string Module::prepare(std::string& source, std::vector<std::string>& defines) const {
  try {
    source = spec_->has_program_text() ? spec_->program_text()
                                       : read_program_file(modules_dir_ + "/" + spec_->program());
  } catch (const std::exception& e) {
    return e.what();
  }
  for (const auto& f : spec_->btf_offsets()) {
    auto offset = btf_field_offset(f.struct_name, f.field);
    if (!offset)
      return "struct " + f.struct_name + " has no field " + f.field +
             " in the running kernel's BTF (/sys/kernel/btf/vmlinux)";
    defines.push_back(f.macro + "=" + std::to_string(*offset));
  }
  return "";
}

Module::Build Module::build(const std::vector<int>& pids) const {
  Build out;
  out.pids = pids;
  std::string source;
  std::vector<std::string> defines;
  try {
    defines = spec_->defines(*options_, pids);
  } catch (const std::exception& e) {
    out.error = e.what();  // a process it cannot follow (its language unknown...)
    return out;
  }
  out.error = prepare(source, defines);
  if (!out.error.empty()) return out;
  out.map_names = declared_maps(source);
  std::set<ProbeAlternative> failed;
  bool retry = true;
  while (retry) {
    try_build(source, defines, pids, failed, retry, out);
    if (out.error.empty()) break;
  }
  return out;
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
  if (spec_->collector()) spec_->collector()->running_without(missing_names);
  armed_binaries_.clear();
  for (const auto& [probe, alt] : used_) {
    if (alt.type != ProbeType::uprobe && alt.type != ProbeType::uretprobe &&
        alt.type != ProbeType::usdt)
      continue;
    if (auto identity = file_identity(alt.binary()))
      armed_binaries_.emplace_back(alt.binary(), identity);
  }
  state_ = missing_.empty() ? ModuleState::active : ModuleState::partial;
  reason_.clear();
  for (const auto& [probe, why] : missing_)
    reason_ += (reason_.empty() ? "" : "; ") + ("running without probe '" + probe + "': ") + why;
  std::string idle;
  for (const MetricSpec& m : spec_->metrics())
    if (!serves(m)) idle += (idle.empty() ? "" : ", ") + prefix_ + m.name;
  if (!idle.empty()) reason_ += "; so these metrics have no values: " + idle;
  pmNotifyErr(LOG_INFO, "module [%s]: %s in %.2fs against %s, probes: %s",
              section_.name.c_str(), state_name(state_), compile_seconds_,
              compiled_against_.c_str(), probes_used().c_str());
  if (!reason_.empty())
    pmNotifyErr(LOG_WARNING, "module [%s]: %s", section_.name.c_str(), reason_.c_str());
  return true;
}

void Module::postpone() {
  state_ = ModuleState::postponed;
  reason_ = "no process matches '" + options_->text(spec_->process_option()) +
            "' yet: activation postponed";
  pmNotifyErr(LOG_INFO, "module [%s]: %s", section_.name.c_str(), reason_.c_str());
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
  for (const auto& buffer : spec_->perf_buffers()) {
    size_t pages = 64;
    if (!buffer.pages_option.empty()) pages = options_->number(buffer.pages_option);
    PerfReader::OnEvent deliver;
    if (buffer.on_event)
      deliver = [handler = &buffer.on_event](const void* data, size_t size) {
        (*handler)(data, static_cast<int>(size));
      };
    else
      deliver = [collector = spec_->collector(), table = &buffer.table](const void* data,
                                                                        size_t size) {
        if (collector) collector->event(*table, data, static_cast<int>(size));
      };
    try {
      readers_.push_back(std::make_unique<PerfReader>(
          program_->fd(buffer.table), pages, std::move(deliver),
          [this](uint64_t lost) { on_perf_lost(lost); }));
    } catch (const std::exception& e) {
      return "perf buffer '" + buffer.table + "': " + e.what();
    }
  }
  if (!readers_.empty()) {
    polling_ = true;
    poller_ = std::thread([this] { poll_perf_buffers(); });
  }
  if (processes_ && spec_->process_arming() == ProcessArming::none)
    update_filter_map(survey_processes());
  for (const auto& hook : spec_->attached_hooks()) {
    std::string error = hook(*program_);
    if (!error.empty()) return error;
  }
  if (spec_->collector()) {
    std::string error = spec_->collector()->attached(*program_);
    if (!error.empty()) return error;
  }
  start_periodic_tasks();
  return "";
}

void Module::start_periodic_tasks() {
  bool any = false;
  for (const auto& p : spec_->periodic_tasks()) any = any || seconds_between_runs(p, *options_) > 0;
  if (!any) return;
  ticker_stopping_ = false;
  ticker_ = std::thread([this] { run_periodic_tasks(); });
}

void Module::run_periodic_tasks() {
  using clock = std::chrono::steady_clock;
  const auto& tasks = spec_->periodic_tasks();
  std::vector<clock::time_point> due(tasks.size(), clock::now());
  std::unique_lock<std::mutex> hold(ticker_lock_);
  while (!ticker_stopping_) {
    auto next = clock::time_point::max();
    for (size_t i = 0; i < tasks.size(); i++) {
      uint64_t seconds = seconds_between_runs(tasks[i], *options_);
      if (seconds == 0) continue;  // run at fetch time instead
      if (due[i] <= clock::now()) {
        run_task(tasks[i]);
        due[i] = clock::now() + std::chrono::seconds(seconds);
      }
      next = std::min(next, due[i]);
    }
    ticker_wake_.wait_until(hold, next, [this] { return ticker_stopping_; });
  }
}

bool Module::run_task(const ModuleSpec::Periodic& periodic) {
  try {
    periodic.task(*program_);
    return true;
  } catch (const std::exception& e) {
    // logged once per distinct error, not at every period or fetch
    if (last_task_error_ != e.what()) {
      last_task_error_ = e.what();
      pmNotifyErr(LOG_ERR, "module [%s]: %s: %s", section_.name.c_str(),
                  "periodic task", e.what());
    }
    return false;
  }
}

void Module::poll_perf_buffers() {
  int timeout = readers_.size() == 1 ? 200 : 50;
  while (polling_)
    for (auto& reader : readers_) {
      try {
        reader->poll(timeout);
      } catch (const std::exception& e) {
        pmNotifyErr(LOG_ERR, "module [%s]: handling an event: %s", section_.name.c_str(),
                    e.what());
      }
    }
}

void Module::on_perf_lost(uint64_t lost) {
  // logged once; every loss is counted in bcc.pmda.module.lost_events
  if (lost_events_.fetch_add(lost) == 0)
    pmNotifyErr(LOG_WARNING,
                "module [%s]: perf buffer full, %llu event(s) lost; further losses are counted "
                "in bcc.pmda.module.lost_events, not logged (a larger buffer_page_count keeps "
                "more)",
                section_.name.c_str(), static_cast<unsigned long long>(lost));
}

std::optional<Module::Refresh> Module::plan_refresh(const ProcessSurvey& survey) {
  if (!kernel_) return std::nullopt;  // never started
  bool arms_per_process = processes_ && spec_->process_arming() != ProcessArming::none;
  if (processes_ && !arms_per_process && program_) {
    try {
      update_filter_map(survey);
    } catch (const std::exception& e) {
      pmNotifyErr(LOG_ERR, "module [%s]: following processes: %s", section_.name.c_str(),
                  e.what());
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
    pmNotifyErr(LOG_INFO, "module [%s]: re-arming for %zu process(es), first pid %d",
                section_.name.c_str(), pids.size(), pids.front());
    return Refresh{std::move(pids), ""};
  }
  std::string replaced = replaced_binary();
  if (replaced.empty()) return std::nullopt;
  // A uprobe stays on the inode it was attached to: once its library is
  // replaced (an upgrade renames a new file over it), processes that start
  // map the new file and the probe never fires for them. Re-armed on the
  // file the path names now; processes still running the old copy are no
  // longer counted (they run code that is gone from disk, until restarted).
  pmNotifyErr(LOG_WARNING,
              "module [%s]: %s was replaced (or removed) while probes were attached to it: "
              "re-arming on the file it names now",
              section_.name.c_str(), replaced.c_str());
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
  if (refresh.replaced_binary.empty()) return;
  reason_ += (reason_.empty() ? "" : "; ") +
             ("re-armed: " + refresh.replaced_binary +
              " was replaced while probes were attached to it; processes still running the old "
              "file are no longer counted");
}

void Module::refresh_failed() {
  for (auto& [path, identity] : armed_binaries_) identity = file_identity(path);
  pmNotifyErr(LOG_WARNING,
              "module [%s]: re-arming failed; tried again when a file its probes are on "
              "changes (is installed again)",
              section_.name.c_str());
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
  if (ticker_.joinable()) {
    {
      std::lock_guard<std::mutex> wake(ticker_lock_);
      ticker_stopping_ = true;
    }
    ticker_wake_.notify_all();
    ticker_.join();
  }
  if (poller_.joinable()) {
    polling_ = false;
    poller_.join();
  }
  readers_.clear();
  program_.reset();
  armed_binaries_.clear();
  followed_pids_.clear();
  scanned_ = false;
  if (state_ == ModuleState::active || state_ == ModuleState::partial)
    state_ = ModuleState::configured;
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
    pmNotifyErr(LOG_ERR, "module [%s]: storing into %s: %s", section_.name.c_str(),
                metrics()[item].name.c_str(), e.what());
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
  // the fetch's tasks never overlap the ticker's
  std::lock_guard<std::mutex> one_task_at_a_time(ticker_lock_);
  read_began_ = std::chrono::steady_clock::now();
  for (const FetchError& error :
       fetch_values(*spec_, *options_, *program_, served, out, &read_entry_counts_)) {
    // logged once per distinct error, not at every fetch
    std::string& last = error.metric.empty() ? last_task_error_ : last_read_error_;
    if (last == error.what) continue;
    last = error.what;
    if (error.metric.empty())
      pmNotifyErr(LOG_ERR, "module [%s]: collecting: %s", section_.name.c_str(),
                  error.what.c_str());
    else
      pmNotifyErr(LOG_ERR, "module [%s]: reading %s: %s", section_.name.c_str(),
                  error.metric.c_str(), error.what.c_str());
  }
}

}  // namespace bcc
