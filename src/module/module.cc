#include "module/module.h"

#include <pcp/pmapi.h>
#include <pcp/pmda.h>

#include <bcc/BPF.h>

#include <algorithm>
#include <chrono>
#include <exception>

#include "bpf/program_source.h"
#include "bpf/struct_offsets.h"

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
  for (const auto& hook : spec_->configure_hooks()) {
    try {
      hook(*options_);
    } catch (const config::ConfigError& e) {
      throw config::ConfigError("[" + section_.name + "] " + e.what());
    }
  }
  const std::string& key = spec_->process_option();
  if (!key.empty() && options_->is_set(key)) {
    try {
      processes_.emplace(options_->text(key));
    } catch (const std::invalid_argument& e) {
      const config::Entry* entry = section_.section ? section_.section->find(key) : nullptr;
      throw config::ConfigError(section_.file + ":" + std::to_string(entry ? entry->line : 0) +
                                ": [" + section_.name + "] " + key + " = '" +
                                options_->text(key) + "': " + e.what());
    }
  }
}

Module::~Module() { stop(); }

void Module::fail(std::string reason) {
  state_ = ModuleState::failed;
  reason_ = std::move(reason);
  pmNotifyErr(LOG_ERR, "module [%s]: %s", section_.name.c_str(), reason_.c_str());
}

std::string Module::try_start(const std::string& source,
                              const std::vector<std::string>& base_defines,
                              const KernelProbes& kernel, std::set<ProbeAlternative>& failed,
                              bool& retry) {
  retry = false;
  missing_.clear();
  std::vector<std::string> defines = base_defines;
  std::vector<std::pair<std::string, ProbeAlternative>> chosen;
  std::vector<bool> optional;
  std::vector<ProbeAlternative> usdts;
  for (const ProbeChain& chain : spec_->probes(*options_, armed_pids_)) {
    ProbeChoice choice = choose(chain, kernel, failed);
    if (!choice.index && chain.optional) {
      missing_.emplace_back(chain.name, choice.why_none);
      continue;
    }
    if (!choice.index) return "probe '" + chain.name + "': no alternative works: " + choice.why_none;
    const ProbeAlternative& alt = chain.alternatives[*choice.index];
    defines.push_back(chain.macro(alt));
    defines.push_back(chain.target_macro(alt));
    chosen.emplace_back(chain.name, alt);
    optional.push_back(chain.optional);
    if (alt.type == ProbeType::usdt) usdts.push_back(alt);
  }
  if (chosen.empty())
    return "no probe of this module is available on the running kernel: " + describe_missing();

  auto program = std::make_unique<Program>();
  auto begin = std::chrono::steady_clock::now();
  std::string error = program->compile(source, defines, usdts);
  compile_seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  if (!error.empty()) return "compile failed: " + with_origin(error);

  std::vector<std::pair<std::string, ProbeAlternative>> attached;
  for (size_t i = 0; i < chosen.size(); i++) {
    const auto& [probe, alt] = chosen[i];
    error = program->attach(alt);
    if (error.empty()) {
      attached.push_back(chosen[i]);
      continue;
    }
    if (optional[i]) {
      // the function stays compiled in, unused: no need to compile again
      pmNotifyErr(LOG_WARNING, "module [%s]: probe '%s': %s failed: %s; running without it",
                  section_.name.c_str(), probe.c_str(), alt.describe().c_str(), error.c_str());
      missing_.emplace_back(probe, alt.describe() + ": " + error);
      continue;
    }
    pmNotifyErr(LOG_WARNING, "module [%s]: probe '%s': %s failed: %s; trying the next",
                section_.name.c_str(), probe.c_str(), alt.describe().c_str(), error.c_str());
    failed.insert(alt);
    retry = true;
    return "probe '" + probe + "': " + alt.describe() + ": " + error;
  }
  if (attached.empty()) return "no probe of this module could be attached: " + describe_missing();
  program_ = std::move(program);
  used_ = std::move(attached);
  return "";
}

std::string Module::with_origin(std::string compiler_text) const {
  // libbcc compiles text under this name; the operator knows the file
  static const std::string builtin_name = "/virtual/main.c";
  const std::string& origin = spec_->program_origin();
  if (origin.empty()) return compiler_text;
  for (size_t at = compiler_text.find(builtin_name); at != std::string::npos;
       at = compiler_text.find(builtin_name, at + origin.size()))
    compiler_text.replace(at, builtin_name.size(), origin);
  return compiler_text;
}

std::string Module::describe_missing() const {
  std::string out;
  for (const auto& [probe, why] : missing_)
    out += (out.empty() ? "" : "; ") + ("probe '" + probe + "': ") + why;
  return out;
}

bool Module::start(const std::string& modules_dir, const KernelProbes& kernel,
                   bool live_processes) {
  if (!spec_) return false;
  modules_dir_ = modules_dir;
  kernel_ = &kernel;
  live_processes_ = live_processes;
  if (spec_->process_arming() != ProcessArming::none && processes_) {
    armed_pids_ = pids_to_arm();
    if (armed_pids_.empty()) {
      if (!live_processes_) {
        fail("no process matches '" + options_->text(spec_->process_option()) +
             "' (set [pmda] process_refresh to wait for one)");
        return false;
      }
      postpone();
      return true;
    }
  }
  return arm();
}

bool Module::arm() {
  const KernelProbes& kernel = *kernel_;
  std::string source;
  try {
    source = spec_->has_program_text() ? spec_->program_text()
                                       : read_program_file(modules_dir_ + "/" + spec_->program());
  } catch (const std::exception& e) {
    fail(e.what());
    return false;
  }
  std::vector<std::string> defines = spec_->defines(*options_);
  for (const auto& f : spec_->btf_offsets()) {
    auto offset = btf_field_offset(f.struct_name, f.field);
    if (!offset) {
      fail("struct " + f.struct_name + " has no field " + f.field +
           " in the running kernel's BTF (/sys/kernel/btf/vmlinux)");
      return false;
    }
    defines.push_back(f.macro + "=" + std::to_string(*offset));
  }
  map_names_ = declared_maps(source);
  std::set<ProbeAlternative> failed;
  bool retry = true;
  std::string error;
  while (retry) {
    error = try_start(source, defines, kernel, failed, retry);
    if (error.empty()) break;
  }
  if (error.empty()) error = after_attach();
  if (!error.empty()) {
    stop();
    fail(error);
    return false;
  }
  std::vector<std::string> missing_names;
  for (const auto& [probe, why] : missing_) missing_names.push_back(probe);
  for (const auto& hook : spec_->missing_probe_hooks()) hook(missing_names);
  state_ = missing_.empty() ? ModuleState::active : ModuleState::partial;
  reason_.clear();
  for (const auto& [probe, why] : missing_)
    reason_ += (reason_.empty() ? "" : "; ") + ("running without probe '" + probe + "': ") + why;
  std::string idle;
  for (const MetricSpec& m : spec_->metrics())
    if (!serves(m)) idle += (idle.empty() ? "" : ", ") + prefix_ + m.name;
  if (!idle.empty()) reason_ += "; so these metrics have no values: " + idle;
  pmNotifyErr(LOG_INFO, "module [%s]: %s in %.2fs, probes: %s", section_.name.c_str(),
              state_name(state_), compile_seconds_, probes_used().c_str());
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

std::vector<int> Module::pids_to_arm() const {
  std::vector<int> pids;
  for (const ProcessInfo& p : processes_->scan()) pids.push_back(p.pid);
  if (spec_->process_arming() == ProcessArming::first_match && pids.size() > 1) {
    pmNotifyErr(LOG_INFO,
                "module [%s]: %zu processes match '%s'; its probes follow one process: "
                "the first, pid %d",
                section_.name.c_str(), pids.size(),
                options_->text(spec_->process_option()).c_str(), pids.front());
    pids.resize(1);
  }
  return pids;
}

std::string Module::after_attach() {
  ebpf::BPF& bpf = program_->bpf();
  for (const auto& buffer : spec_->perf_buffers()) {
    int pages = 64;
    if (!buffer.pages_option.empty()) pages = static_cast<int>(options_->number(buffer.pages_option));
    sinks_.push_back(std::make_unique<PerfSink>(PerfSink{this, &buffer.on_event}));
    ebpf::StatusTuple st = bpf.open_perf_buffer(buffer.table, on_perf_event, on_perf_lost,
                                                sinks_.back().get(), pages);
    if (!st.ok()) return "perf buffer '" + buffer.table + "': " + st.msg();
  }
  if (!sinks_.empty()) {
    polling_ = true;
    poller_ = std::thread([this] { poll_perf_buffers(); });
  }
  if (processes_ && spec_->process_arming() == ProcessArming::none) update_filter_map();
  for (const auto& hook : spec_->attached_hooks()) {
    std::string error = hook(bpf);
    if (!error.empty()) return error;
  }
  start_periodic_tasks();
  return "";
}

void Module::start_periodic_tasks() {
  bool any = false;
  for (const auto& p : spec_->periodic_tasks()) any = any || options_->number(p.seconds_option) > 0;
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
      uint64_t seconds = options_->number(tasks[i].seconds_option);
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

void Module::run_task(const ModuleSpec::Periodic& periodic) {
  try {
    periodic.task(program_->bpf());
  } catch (const std::exception& e) {
    // logged once per distinct error, not at every period
    if (last_task_error_ != e.what()) {
      last_task_error_ = e.what();
      pmNotifyErr(LOG_ERR, "module [%s]: periodic task: %s", section_.name.c_str(), e.what());
    }
  }
}

void Module::poll_perf_buffers() {
  const auto& buffers = spec_->perf_buffers();
  int timeout = buffers.size() == 1 ? 200 : 50;
  while (polling_)
    for (const auto& buffer : buffers) program_->bpf().poll_perf_buffer(buffer.table, timeout);
}

void Module::on_perf_event(void* cookie, void* data, int size) {
  auto* sink = static_cast<PerfSink*>(cookie);
  (*sink->handler)(data, size);
}

void Module::on_perf_lost(void* cookie, uint64_t lost) {
  static_cast<PerfSink*>(cookie)->module->lost_events_ += lost;
}

void Module::refresh_processes() {
  if (!processes_) return;
  if (spec_->process_arming() == ProcessArming::none) return update_filter_map();
  if (!kernel_) return;  // never started
  // a module that failed to arm is tried again when the processes change
  std::vector<int> pids = pids_to_arm();
  if (pids == armed_pids_) return;
  stop();
  used_.clear();
  missing_.clear();
  armed_pids_ = std::move(pids);
  if (armed_pids_.empty()) return postpone();
  pmNotifyErr(LOG_INFO, "module [%s]: re-arming for %zu process(es), first pid %d",
              section_.name.c_str(), armed_pids_.size(), armed_pids_.front());
  if (arm()) free_compiler_memory();
}

void Module::update_filter_map() {
  if (!program_) return;
  std::vector<int> processes, pids;
  for (const ProcessInfo& p : processes_->scan()) {
    processes.push_back(p.pid);
    // thread ids too: tracepoints about tasks (sched_*) carry thread ids, and
    // a thread id never equals another live process's pid
    for (int tid : thread_ids(p.pid)) pids.push_back(tid);
  }
  if (pids == followed_pids_ && scanned_) return;
  scanned_ = true;
  auto map = program_->bpf().get_hash_table<uint32_t, uint8_t>("filter_pids");
  for (int pid : followed_pids_) map.remove_value(static_cast<uint32_t>(pid));
  for (int pid : pids) map.update_value(static_cast<uint32_t>(pid), 1);
  if (processes.empty())
    pmNotifyErr(LOG_INFO, "module [%s]: no process matches '%s' yet: activation postponed",
                section_.name.c_str(), options_->text(spec_->process_option()).c_str());
  else
    pmNotifyErr(LOG_INFO, "module [%s]: following %zu process(es), first pid %d",
                section_.name.c_str(), processes.size(), processes.front());
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
  program_.reset();
  sinks_.clear();
  followed_pids_.clear();
  scanned_ = false;
  if (state_ == ModuleState::active || state_ == ModuleState::partial)
    state_ = ModuleState::configured;
}

void Module::free_compiler_memory() {
  if (program_) program_->free_compiler_memory();
}

std::vector<std::pair<std::string, int>> Module::program_fds() {
  std::vector<std::pair<std::string, int>> out;
  if (!program_) return out;
  for (const auto& [probe, alt] : used_) {
    int fd = program_->function_fd(alt);
    if (fd >= 0) out.emplace_back(alt.function_name(), fd);
  }
  return out;
}

std::vector<std::pair<std::string, int>> Module::map_fds() {
  std::vector<std::pair<std::string, int>> out;
  if (!program_) return out;
  for (const std::string& name : map_names_) {
    int fd = program_->map_fd(name);
    if (fd >= 0) out.emplace_back(name, fd);
  }
  return out;
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
    return metrics()[item].store(program_->bpf(), instance, value);
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
  for (const auto& p : spec_->periodic_tasks())
    if (options_->number(p.seconds_option) == 0) {
      std::lock_guard<std::mutex> one_task_at_a_time(ticker_lock_);
      run_task(p);
    }
  for (const auto& hook : spec_->fetch_hooks()) {
    try {
      hook(program_->bpf());
    } catch (const std::exception& e) {
      if (last_read_error_ != e.what()) {
        last_read_error_ = e.what();
        pmNotifyErr(LOG_ERR, "module [%s]: before reading: %s", section_.name.c_str(), e.what());
      }
      return;
    }
  }
  for (size_t i = 0; i < metrics().size(); i++) {
    if (!serves(metrics()[i])) continue;
    try {
      metrics()[i].read(program_->bpf(), out[i]);
    } catch (const std::exception& e) {
      // logged once per distinct error, not at every fetch
      if (last_read_error_ != e.what()) {
        last_read_error_ = e.what();
        pmNotifyErr(LOG_ERR, "module [%s]: reading %s: %s", section_.name.c_str(),
                    metrics()[i].name.c_str(), e.what());
      }
      out[i].clear();
    }
  }
}

}  // namespace bcc
